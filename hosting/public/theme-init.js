// Apply the saved theme before first paint (no flash). Mirrors src/contexts/theme.ts.
// A file, not an inline script: the Content-Security-Policy allows no inline script.
try {
  var t = localStorage.getItem('synthora.theme') || 'dark'
  var dark = t === 'dark' || (t === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.classList.toggle('dark', dark)
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light'
} catch {
  // storage unavailable (private mode): keep the dark default from the markup
}
