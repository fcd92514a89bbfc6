import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { versionedAsset } from '../http/assets.ts';
import { PROJECT_ROOT, PUBLIC_DIR } from '../paths.ts';

/*
 * The story editor's browser bundle (public/build/, git-ignored) is made by
 * scripts/build-client.mjs during `npm run build` and before the tests. A server started
 * some other way (tsx, a single test file) builds it here once if it is missing or older
 * than its sources, so the editor never points at a file that does not exist.
 */

const BUNDLE = 'build/story-editor.js';

function isStale(bundlePath: string): boolean {
  if (!fs.existsSync(bundlePath)) return true;
  const manifest = path.join(PUBLIC_DIR, 'build', 'client-inputs.json');
  if (!fs.existsSync(manifest)) return true;
  const builtAt = fs.statSync(bundlePath).mtimeMs;
  const { inputs } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { inputs: string[] };
  // A deployment without sources cannot rebuild, and need not: only newer sources count.
  return inputs.some((rel) => {
    const file = path.join(PROJECT_ROOT, rel);
    return fs.existsSync(file) && fs.statSync(file).mtimeMs > builtAt;
  });
}

let cached: string | undefined;

/** The versioned URL of the story editor script, building the bundle first when needed. */
export function storyEditorScript(): string {
  if (cached) return cached;
  const bundlePath = path.join(PUBLIC_DIR, BUNDLE);
  if (isStale(bundlePath)) {
    const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-client.mjs')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    if (result.status !== 0 || !fs.existsSync(bundlePath)) {
      throw new Error(
        `Could not build the story editor (node scripts/build-client.mjs): ${result.stderr || result.error?.message || 'no output'}`,
      );
    }
  }
  cached = versionedAsset(BUNDLE);
  return cached;
}
