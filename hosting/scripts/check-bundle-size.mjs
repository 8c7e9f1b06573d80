#!/usr/bin/env node
// Initial JavaScript = the entry chunk plus everything it imports statically
// (what the browser must download before the app can start). Lazy page chunks
// are excluded. Fails the build when it exceeds the budget.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 250
const dist = new URL('../dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry)
if (entries.length === 0) {
  console.error('check-bundle-size: no entry chunk in dist/.vite/manifest.json')
  process.exit(1)
}

const seen = new Set()
const rows = []
function visit(key) {
  if (seen.has(key)) return
  seen.add(key)
  const chunk = manifest[key]
  if (!chunk) return
  if (chunk.file.endsWith('.js')) {
    const bytes = readFileSync(join(dist, chunk.file))
    rows.push({ file: chunk.file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length })
  }
  for (const imported of chunk.imports ?? []) visit(imported)
}
for (const [key] of entries) visit(key)

const kb = (n) => (n / 1024).toFixed(1).padStart(7)
rows.sort((a, b) => b.gzip - a.gzip)
console.log('\nInitial JavaScript (entry + static imports):')
for (const row of rows) console.log(`  ${kb(row.raw)} KB raw  ${kb(row.gzip)} KB gzip  ${row.file}`)
const totalRaw = rows.reduce((sum, row) => sum + row.raw, 0)
const totalGzip = rows.reduce((sum, row) => sum + row.gzip, 0)
console.log(`  ${kb(totalRaw)} KB raw  ${kb(totalGzip)} KB gzip  TOTAL (budget ${BUDGET_KB} KB gzip)`)

// What a lazy page adds on navigation: its chunk plus the shared chunks it imports
// that are not already in the initial JavaScript (informational, no budget).
const initial = new Set(seen)
const pageRows = []
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.isDynamicEntry || !/Page\.tsx$/.test(key)) continue
  const own = new Set()
  const walk = (k) => {
    if (own.has(k) || initial.has(k) || !manifest[k]) return
    own.add(k)
    for (const imported of manifest[k].imports ?? []) walk(imported)
  }
  walk(key)
  let raw = 0
  let gzip = 0
  for (const k of own) {
    if (!manifest[k].file.endsWith('.js')) continue
    const bytes = readFileSync(join(dist, manifest[k].file))
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  pageRows.push({ name: key.split('/').pop().replace(/\.tsx$/, ''), raw, gzip, chunks: own.size })
}
pageRows.sort((a, b) => b.gzip - a.gzip)
console.log('\nLazy pages (own chunk + shared chunks not in the initial JS):')
for (const row of pageRows) console.log(`  ${kb(row.raw)} KB raw  ${kb(row.gzip)} KB gzip  ${row.name} (${row.chunks} chunks)`)

if (totalGzip / 1024 > BUDGET_KB) {
  console.error(`\ncheck-bundle-size: initial JS is ${(totalGzip / 1024).toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget.`)
  process.exit(1)
}
