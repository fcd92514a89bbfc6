import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/* Test-only (imported by *.test.ts): where the shared ninjs and Readability fixtures are. */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const NINJS_DIR = path.resolve(repoRoot, '../shared/fixtures/ninjs');
export const READABILITY_DIR = path.resolve(repoRoot, '../shared/fixtures/readability');

/** Skip reason when a shared fixture folder is absent; under CI=true its absence fails the run. */
export function fixturesSkip(dir: string): string | false {
  if (fs.existsSync(dir)) return false;
  const reason = `fixtures not found at ${dir} (the shared folder is absent)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must test against the real fixtures`);
  return reason;
}

/** Every *.json file under dir, recursively, sorted. */
export function jsonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFilesUnder(p));
    else if (entry.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

export function readNinjs(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(NINJS_DIR, relative), 'utf8')) as Record<string, unknown>;
}
