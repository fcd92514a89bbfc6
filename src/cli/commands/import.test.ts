import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createSection } from '../../domain/sections/section.ts';
import { fixturesSkip, NINJS_DIR, READABILITY_DIR } from '../../../test/support/wire-test-support.ts';

const run = promisify(execFile);
const skip = fixturesSkip(NINJS_DIR) || fixturesSkip(READABILITY_DIR);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Line {
  file: string;
  status: string;
  id: string | null;
  headline: string | null;
  byline: string | null;
  error: string | null;
}

describe('masthead import (spawned CLI, SQLite)', { skip }, () => {
  let tmp: string;
  let dbFile: string;
  let inbox: string;

  const cliOn = async (database: string, ...args: string[]) => {
    try {
      const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', ...args], {
        cwd: root,
        env: {
          ...process.env,
          MASTHEAD_DATABASE_URL: `sqlite:${database}`,
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
  const cli = (...args: string[]) => cliOn(dbFile, ...args);
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
  const byFile = (ls: Line[], name: string) => ls.find((l) => path.basename(l.file) === name)!;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-import-cli-'));
    dbFile = path.join(tmp, 'masthead.sqlite');
    const handle = await openDatabase({ kind: 'sqlite', file: dbFile, create: true });
    await migrateToLatest(handle.db);
    await createSection(handle.db, { name: 'World', position: 0 }, new Date());
    await handle.close();

    inbox = path.join(tmp, 'inbox');
    fs.mkdirSync(path.join(inbox, 'agency', 'pics'), { recursive: true });
    fs.copyFileSync(path.join(NINJS_DIR, 'examples/1.4/ninjsExComplex1.json'), path.join(inbox, 'complex-1x.json'));
    fs.copyFileSync(path.join(NINJS_DIR, 'examples/2.1/dpa_text.json'), path.join(inbox, 'dpa-2x.json'));
    fs.copyFileSync(path.join(NINJS_DIR, 'examples/3.0/ninjsExSimpleText_3.json'), path.join(inbox, 'simple-3x.json'));
    fs.copyFileSync(path.join(NINJS_DIR, 'test-suite/2.1/should_fail/001_bad_association.json'), path.join(inbox, 'bad-association.json'));
    // Recognised by content, not by name: an HTML page without an extension.
    fs.copyFileSync(path.join(READABILITY_DIR, 'wapo-1/source.html'), path.join(inbox, 'wapo-page'));
    fs.writeFileSync(path.join(inbox, 'broken.json'), '{"uri": "x", ');
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'not imported: not a candidate file');
    // A ninjs item whose picture sits beside it; a rendition pointing outside the folder is never read
    // (if it were, /etc/passwd would fail as an image and reject the item).
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#884422' } })
      .jpeg()
      .toFile(path.join(inbox, 'agency', 'pics', 'p1.jpg'));
    fs.writeFileSync(
      path.join(inbox, 'agency', 'with-picture.json'),
      JSON.stringify({
        uri: 'urn:test:cli-picture',
        headlines: [{ role: 'main', value: 'Story with a local picture' }],
        by: 'Ana Lopez and Ben Ode',
        bodies: [{ role: 'main', contenttype: 'text/plain', value: 'First paragraph.\n\nSecond paragraph.' }],
        associations: [
          {
            name: 'mainpic',
            uri: 'urn:pic',
            type: 'picture',
            renditions: [
              { name: 'escape', href: '../../../../../../../../etc/passwd' },
              { name: 'hi', href: 'pics/p1.jpg' },
            ],
          },
        ],
      }),
    );
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('imports a folder: one JSON line per item, rejected items reported with the reason, exit code 1, no progress bar off a terminal', async () => {
    const r = await cli(inbox);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'masthead: 2 of 7 items rejected\n', 'only the summary on stderr: no progress bar when stderr is not a TTY');
    const ls = lines(r.stdout);
    assert.equal(ls.length, 7);
    for (const l of ls) assert.deepEqual(Object.keys(l).slice(0, 6), ['file', 'status', 'id', 'headline', 'byline', 'error']);

    assert.deepEqual(
      ls.map((l) => [path.basename(l.file), l.status]),
      [
        ['with-picture.json', 'created'],
        ['bad-association.json', 'rejected'],
        ['broken.json', 'rejected'],
        ['complex-1x.json', 'created'],
        ['dpa-2x.json', 'created'],
        ['simple-3x.json', 'created'],
        ['wapo-page', 'created'],
      ],
    );
    const bad = byFile(ls, 'bad-association.json');
    assert.match(bad.error!, /^Not valid ninjs 2\.2: \/associations\/0: must NOT have unevaluated properties \("incorrectproperty"\)/);
    assert.equal(bad.id, null);
    assert.match(byFile(ls, 'broken.json').error!, /not JSON/);
    assert.equal(byFile(ls, 'complex-1x.json').headline, 'Captain of wrecked cruise ship on trial in Italy');
    assert.equal(byFile(ls, 'complex-1x.json').byline, "Paulo Santalucia, Frances d'Emilio");
    assert.equal(byFile(ls, 'wapo-page').headline, 'Attack stokes instability fears in North Africa');
    assert.equal(byFile(ls, 'wapo-page').byline, 'Erin Cunningham');
    assert.equal(byFile(ls, 'with-picture.json').byline, 'Ana Lopez, Ben Ode');

    const handle = await openDatabase({ kind: 'sqlite', file: dbFile });
    try {
      const articles = await handle.db.selectFrom('articles').select(['id', 'status', 'hero_image_id']).execute();
      assert.equal(articles.length, 5, 'rejected items left nothing behind');
      assert.ok(articles.every((a) => a.status === 'draft'));
      const pic = articles.find((a) => a.id === byFile(ls, 'with-picture.json').id)!;
      assert.ok(pic.hero_image_id, 'the picture beside the document was ingested');
    } finally {
      await handle.close();
    }
  });

  it('importing the same items again updates instead of duplicating; a single file works too', async () => {
    const first = lines((await cli(path.join(inbox, 'complex-1x.json'))).stdout);
    assert.equal(first[0]!.status, 'updated');
    const again = await cli(path.join(inbox, 'dpa-2x.json'), path.join(inbox, 'simple-3x.json'));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      lines(again.stdout).map((l) => l.status),
      ['updated', 'updated'],
    );
    const handle = await openDatabase({ kind: 'sqlite', file: dbFile });
    try {
      assert.equal((await handle.db.selectFrom('articles').select('id').execute()).length, 5);
    } finally {
      await handle.close();
    }
  });

  it('imports into a database with no section yet: creates the named section (else "news") and says so', async () => {
    const emptyDb = path.join(tmp, 'empty.sqlite');
    const handle = await openDatabase({ kind: 'sqlite', file: emptyDb, create: true });
    await migrateToLatest(handle.db);
    await handle.close();
    const r = await cliOn(emptyDb, path.join(inbox, 'dpa-2x.json'), '--section', 'wire');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [line] = lines(r.stdout) as Array<Line & { notes?: string[] }>;
    assert.equal(line!.status, 'created');
    assert.ok(
      line!.notes?.some((n) => /no section yet: created "Wire" \(\/wire\)/.test(n)),
      r.stdout,
    );
    const check = await openDatabase({ kind: 'sqlite', file: emptyDb });
    try {
      const sections = await check.db.selectFrom('sections').select(['id', 'slug']).execute();
      assert.deepEqual(
        sections.map((x) => x.slug),
        ['wire'],
      );
      const article = await check.db.selectFrom('articles').select('section_id').where('id', '=', line!.id!).executeTakeFirstOrThrow();
      assert.equal(article.section_id, sections[0]!.id);
    } finally {
      await check.close();
    }
  });

  it('bad usage exits 2', async () => {
    assert.equal((await cli()).code, 2);
    assert.equal((await cli(path.join(tmp, 'missing'))).code, 2);
    assert.equal((await cli(inbox, '--ninjs-version', '9.9')).code, 2);
  });
});
