#!/usr/bin/env node
// CI guard: src/api/schema.d.ts must be what `npm run gen:api` makes from
// openapi.json (so nobody edits the generated types by hand or forgets to
// regenerate after `make openapi`).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const tmpDir = join(root, 'node_modules', '.tmp')
mkdirSync(tmpDir, { recursive: true })
const fresh = join(tmpDir, 'schema.check.d.ts')
execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.json', '-o', fresh], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (readFileSync(fresh, 'utf8') !== readFileSync(join(root, 'src/api/schema.d.ts'), 'utf8')) {
  console.error('src/api/schema.d.ts is out of date with openapi.json: run `npm run gen:api`.')
  process.exit(1)
}
console.log('src/api/schema.d.ts matches openapi.json')
