import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WP = path.join(root, 'test/fixtures/wordpress');
const GHOST = path.join(root, 'test/fixtures/ghost');

interface Line {
  file: string;
  kind: string;
  ok: boolean;
  status: string;
  source: string;
  id: string | null;
  error?: string;
}

describe('masthead import of WordPress and Ghost exports (spawned CLI, SQLite)', () => {
  let tmp: string;
  let dbFile: string;

  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', ...args], {
        cwd: root,
        env: {
          ...process.env,
          MASTHEAD_DATABASE_URL: `sqlite:${dbFile}`,
          MASTHEAD_MEDIA_DIR: path.join(tmp, 'media'),
          LOG_LEVEL: 'silent',
        },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  const countArticles = async () => {
    const handle = await openDatabase({ kind: 'sqlite', file: dbFile });
    try {
      return Number(
        (
          await handle.db
            .selectFrom('articles')
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    } finally {
      await handle.close();
    }
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-import-site-'));
    dbFile = path.join(tmp, 'masthead.sqlite');
    const handle = await openDatabase({ kind: 'sqlite', file: dbFile, create: true });
    await migrateToLatest(handle.db);
    await handle.close();
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('imports a WXR file with --media: one JSON line per story, author, section, image, comment and old address', async () => {
    const r = await cli(path.join(WP, 'masthead-newsroom.xml'), '--media', path.join(WP, 'uploads'));
    assert.equal(r.code, 0, r.stderr);
    const ls = lines(r.stdout);
    for (const l of ls) assert.equal(typeof l.ok, 'boolean');
    const kinds = new Set(ls.map((l) => l.kind));
    for (const k of ['story', 'author', 'section', 'image', 'comment', 'redirect']) assert.ok(kinds.has(k), `a ${k} line`);
    assert.deepEqual(
      ls.filter((l) => l.kind === 'story').map((l) => l.status),
      ['skipped', 'created', 'created', 'created'],
    );
    const missing = ls.find((l) => l.kind === 'image' && !l.ok);
    assert.match(missing?.source ?? '', /missing-chart\.png$/);
    assert.equal(await countArticles(), 3);
  });

  it('a second run reports every story unchanged and writes nothing new', async () => {
    const r = await cli(path.join(WP, 'masthead-newsroom.xml'), '--media', path.join(WP, 'uploads'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      lines(r.stdout)
        .filter((l) => l.kind === 'story')
        .map((l) => l.status),
      ['skipped', 'unchanged', 'unchanged', 'unchanged'],
    );
    assert.equal(await countArticles(), 3);
  });

  it('recognises a Ghost export by its content', async () => {
    const r = await cli(path.join(GHOST, 'masthead-ghost-5.json'), '--media', GHOST);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout).filter((l) => l.kind === 'story' && l.status === 'created').length, 5);
    assert.equal(await countArticles(), 8);
  });

  it('bad input: a clear message, exit 1, nothing written; a missing --media folder is a usage error', async () => {
    const broken = path.join(tmp, 'broken.xml');
    fs.writeFileSync(broken, '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><item><title>x');
    const r = await cli(broken);
    assert.equal(r.code, 1);
    const [line] = lines(r.stdout);
    assert.equal(line?.ok, false);
    assert.match(line?.error ?? '', /Not a WordPress export: the file has no <channel>/);
    const notGhost = path.join(tmp, 'ghost.json');
    fs.writeFileSync(notGhost, '{"db": [{"meta": {"exported_on": 1}, "data": {"users": []}}]}');
    const g = await cli(notGhost);
    assert.equal(g.code, 1);
    assert.match(lines(g.stdout)[0]?.error ?? '', /Not a Ghost export/);
    assert.equal(await countArticles(), 8);
    const m = await cli(path.join(WP, 'masthead-newsroom.xml'), '--media', path.join(tmp, 'nowhere'));
    assert.equal(m.code, 2);
    assert.match(m.stderr, /--media .*nowhere: no such folder/);
  });
});
