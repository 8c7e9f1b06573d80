import { fileURLToPath, URL } from 'node:url'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

// In `npm run dev` / `vite preview` the API lives on the local gateway
// (`make dev`, http://127.0.0.1:8080 by default). Same-origin in production
// (Firebase Hosting rewrites), so the app itself only ever uses relative URLs.
const apiTarget = process.env.SYNTHORA_API_URL ?? 'http://127.0.0.1:8080'
const proxy = { '/api': { target: apiTarget, changeOrigin: false } }

// Link previews (Open Graph, X) need an absolute image URL: the site's public
// origin at build time (SYNTHORA_PUBLIC_URL, e.g. https://synthora.example),
// else a root-relative one, which most previewers resolve against the page.
const publicUrl = (process.env.SYNTHORA_PUBLIC_URL ?? '').replace(/\/+$/, '')
const absoluteLinks = {
  name: 'synthora-public-url',
  transformIndexHtml: (html: string) => html.replaceAll('%PUBLIC_URL%', publicUrl),
}

export default defineConfig({
  plugins: [react(), tailwindcss(), absoluteLinks],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The size check (scripts/check-bundle-size.mjs) reads the manifest.
    manifest: true,
    // The real budget (initial JS gzipped) is enforced by check-bundle-size.mjs.
    chunkSizeWarningLimit: 700,
  },
})
