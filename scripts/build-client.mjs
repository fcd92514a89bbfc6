// Bundles the newsroom's browser code (TypeScript, TipTap) into public/build/ with esbuild.
// Run by `npm run build` and before the tests; the server also runs it once at start-up
// when the bundle is missing or older than its sources (src/newsroom/story-client-asset.ts).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'public', 'build');

/** Entry points: `src/newsroom/client/<name>.ts` → `public/build/<name>.js`. */
const ENTRIES = ['story-editor'];

const result = await build({
  entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, path.join(root, 'src', 'newsroom', 'client', `${name}.ts`)])),
  outdir,
  absWorkingDir: root,
  bundle: true,
  // ES modules with code splitting: the entry holds what the page needs first, and each
  // dynamic import() (the body editor, the media picker, the slug tables) becomes a chunk
  // loaded when first needed. Chunk names carry their content hash, so they cache forever.
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

fs.mkdirSync(outdir, { recursive: true });
// Write to temporary names, then rename: a concurrent build or a server reading the file
// never sees half a bundle.
for (const file of result.outputFiles) {
  fs.mkdirSync(path.dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, file.contents);
  fs.renameSync(tmp, file.path);
}
// Our own sources in the bundle, so a stale bundle can be detected without rebuilding.
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
const manifest = path.join(outdir, 'client-inputs.json');
fs.writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ inputs }, null, 1));
fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest);
