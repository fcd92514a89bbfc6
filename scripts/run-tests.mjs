// Runs every *.test.ts under src/ and test/ with node's test runner (TypeScript via tsx); exits non-zero on any failure.
// Node 20's --test does not expand globs or pick up .ts files by itself, hence this list.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length ? only : ['src', 'test'].flatMap(find).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The newsroom's browser bundle first: pages link it by content hash, and building it once
// here saves every test process from building it on its own.
const client = spawnSync(process.execPath, ['scripts/build-client.mjs'], { stdio: 'inherit' });
if (client.status !== 0) process.exit(client.status ?? 1);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
