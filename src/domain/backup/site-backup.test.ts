import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { emptyTarget, filesUnder, rewriteArchive, type RestoreTarget } from '../../../test/support/archive-test-support.ts';
import { buildArticleInput, paragraphs } from '../../../test/support/factories.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import type { Db, DialectName } from '../../db/database.ts';
import { migrations } from '../../db/migrations/index.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { searchInputSchema, searchPublished } from '../search/search-service.ts';
import { ArchiveError, RestoreTargetError } from './archive-format.ts';
import { readCatalog } from './schema-catalog.ts';
import { exportSite } from './site-export.ts';
import { restoreSite } from './site-restore.ts';

/*
 * Backup and restore across the two databases: SQLite → archive → PostgreSQL → archive →
 * SQLite keeps every row, every media file and the article page; damaged archives and
 * non-empty targets are refused with nothing written; an export during writes is one snapshot.
 */

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';
const NOW = new Date('2026-12-04T09:00:00.000Z');
const clock = () => NOW;
const dialects = await testDialects();
const postgresSkip = dialects.find((d) => d.dialect === 'postgres')?.skip ?? 'PostgreSQL not selected (MASTHEAD_TEST_DIALECTS)';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-backup-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Data the demo lacks: Arabic text, NULLs, a reply whose id sorts before its parent's, a real score. */
async function addVariety(site: { deps: TestSite['deps'] }): Promise<void> {
  const { db } = site.deps;
  const seed = await db
    .selectFrom('articles')
    .select(['id', 'section_id'])
    .where('slug', '=', SEED_PATH.split('/')[2]!)
    .executeTakeFirstOrThrow();
  await createArticle(
    site.deps,
    buildArticleInput({
      sectionId: seed.section_id,
      headline: 'الانتخابات في مصر: ما الذي تغيّر؟',
      standfirst: 'تقرير من القاهرة',
      language: 'ar',
      body: paragraphs('قال المتحدث إن النتائج ستُعلن غداً.', 'Mixed text: café, naïve, 😀'),
      status: 'draft',
    }),
  );
  const at = NOW.toISOString();
  await db
    .insertInto('readers')
    .values({
      id: 'reader-1',
      email: 'reader@example.test',
      display_name: 'قارئ',
      password_hash: 'x',
      email_verified_at: null,
      verify_token_hash: null,
      verify_expires_at: null,
      created_at: at,
      updated_at: at,
      last_login_at: null,
    })
    .execute();
  const comment = (id: string, parent: string | null, body: string) => ({
    id,
    article_id: seed.id,
    reader_id: 'reader-1',
    parent_id: parent,
    status: 'published',
    queue_reason: null,
    like_count: 0,
    report_count: 0,
    body_hash: id,
    ip: '',
    created_at: at,
    edited_at: null,
    published_at: at,
    moderated_by: null,
    moderated_at: null,
    body,
  });
  // The reply's id sorts before its parent's, so rows in key order meet the reply first.
  await db
    .insertInto('comments')
    .values([comment('zz-parent', null, 'أول تعليق'), comment('aa-reply', 'zz-parent', 'رد على التعليق')])
    .execute();
  await db.updateTable('articles').set({ comment_count: 2 }).where('id', '=', seed.id).execute();
  await db.updateTable('article_related').set({ score: 0.1234567890123 }).where('article_id', '=', seed.id).execute();
}

/** Every data table's rows, as sorted JSON (key order fixed), so two databases compare equal. */
async function dumpTables(db: Db, dialect: DialectName): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await readCatalog(db, dialect)) {
    const cols = [...t.columns].sort();
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(t.name)}`.execute(
      db,
    );
    out[t.name] = rows.map((r) => JSON.stringify(cols.map((c) => r[c]))).sort();
  }
  return out;
}

let small: Promise<string> | undefined;
/** One small demo site's archive, made once for the refusal tests of both databases. */
function smallArchive(): Promise<string> {
  small ??= (async () => {
    const site = await createTestSite('sqlite', { demo: true, generated: 1, clock });
    const file = path.join(tmp, 'small.tar.gz');
    await exportSite(site.deps, file);
    await site.close();
    return file;
  })();
  return small;
}

async function seedPage(site: TestSite): Promise<string> {
  const res = await site.app.inject({ method: 'GET', url: SEED_PATH });
  assert.equal(res.statusCode, 200);
  return res.body;
}

describe('backup round trip: SQLite → archive → PostgreSQL → archive → SQLite', { skip: postgresSkip }, () => {
  let source: TestSite;
  let middle: TestSite;
  let final: TestSite;
  const first = path.join(tmp, 'from-sqlite.tar.gz');
  const second = path.join(tmp, 'from-postgres.tar.gz');

  before(async () => {
    source = await createTestSite('sqlite', { demo: true, generated: 3, clock, seed: (deps) => addVariety({ deps }) });
    // One row per page and per part: every row its own INSERT, so the reply really comes before its parent.
    await exportSite(source.deps, first, { batchSize: 1, partBytes: 1 });
    middle = await createTestSite('postgres', { clock, seed: (deps) => restoreSite(deps, first) });
    await exportSite(middle.deps, second, { batchSize: 5 });
    final = await createTestSite('sqlite', { clock, seed: (deps) => restoreSite(deps, second) });
  });
  after(async () => {
    await source?.close();
    await middle?.close();
    await final?.close();
  });

  it('keeps every row of every table, exactly (Arabic, NULLs, reals, a reply before its parent)', async () => {
    const original = await dumpTables(source.deps.db, 'sqlite');
    assert.ok(original.comments!.some((r) => r.includes('رد على التعليق')));
    assert.ok(original.images!.length > 0 && original.article_revisions!.length > 0 && original.search_documents!.length > 0);
    assert.deepEqual(await dumpTables(middle.deps.db, 'postgres'), original);
    assert.deepEqual(await dumpTables(final.deps.db, 'sqlite'), original);
  });

  it('keeps every media file, original and renditions, byte for byte', () => {
    const files = filesUnder(source.mediaDir);
    assert.ok(Object.keys(files).length >= 12, 'the demo images and their renditions');
    assert.deepEqual(filesUnder(middle.mediaDir), files);
    assert.deepEqual(filesUnder(final.mediaDir), files);
  });

  it('serves the same seed article page on each database, and search finds restored stories', async () => {
    const page = await seedPage(source);
    assert.match(page, /Russia executing soldiers/);
    assert.equal(await seedPage(middle), page);
    assert.equal(await seedPage(final), page);
    for (const site of [middle, final]) {
      const found = await searchPublished(site.deps, searchInputSchema.parse({ q: 'soldiers' }), 10);
      assert.ok(found.results.length > 0, `${site.deps.dialect} search index rebuilt`);
    }
  });

  it('records the source, the schema version and row counts in the manifest', async () => {
    const { manifest } = await exportSite(final.deps, path.join(tmp, 'again.tar.gz'));
    assert.equal(manifest.source.dialect, 'sqlite');
    assert.equal(manifest.source.schemaVersion, Object.keys(migrations).at(-1));
    const counts = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    const original = await dumpTables(source.deps.db, 'sqlite');
    assert.deepEqual(counts, Object.fromEntries(Object.entries(original).map(([t, rows]) => [t, rows.length])));
  });
});

describe('archived tables come from the schema itself', () => {
  for (const { dialect, skip } of dialects) {
    it(
      `${dialect}: every table but migration bookkeeping, the dialect's search index and the desk's notes is archived`,
      { skip },
      async () => {
        const target = await emptyTarget(dialect);
        try {
          const all = (
            dialect === 'sqlite'
              ? await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'`.execute(
                  target.deps.db,
                )
              : await sql<{ name: string }>`select table_name as name from information_schema.tables
                where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(target.deps.db)
          ).rows.map((r) => r.name);
          const archived = (await readCatalog(target.deps.db, dialect)).map((t) => t.name);
          const left = all.filter((n) => !archived.includes(n)).sort();
          assert.deepEqual(
            left,
            dialect === 'sqlite'
              ? left.filter((n) => /^(kysely_|(image_)?search_fts|editorial_notes$)/.test(n))
              : ['editorial_notes', 'kysely_migration', 'kysely_migration_lock'],
          );
          for (const table of [
            'articles',
            'article_revisions',
            'images',
            'comments',
            'users',
            'webhooks',
            'search_documents',
            'image_search_documents',
            'wire_imports',
          ])
            assert.ok(archived.includes(table), table);
        } finally {
          await target.destroy();
        }
      },
    );
  }
});

for (const { dialect, skip } of dialects) {
  describe(`${dialect}: restore refuses what it must not load, and writes nothing`, { skip }, () => {
    let target: RestoreTarget;
    let good: string;
    const bad = path.join(tmp, `bad-${dialect}.tar.gz`);

    before(async () => {
      good = await smallArchive();
      target = await emptyTarget(dialect);
    });
    after(() => target?.destroy());

    const assertUntouched = async () => {
      for (const t of await readCatalog(target.deps.db, dialect)) {
        const { rows } = await sql`select 1 from ${sql.table(t.name)} limit 1`.execute(target.deps.db);
        assert.equal(rows.length, 0, `${t.name} stays empty`);
      }
      assert.deepEqual(filesUnder(target.mediaDir), {}, 'no media file left');
    };
    const refused = async (file: string, kind: typeof ArchiveError | typeof RestoreTargetError, message: RegExp) => {
      await assert.rejects(restoreSite(target.deps, file), (err: Error) => {
        assert.ok(err instanceof kind, `${err.name}: ${err.message}`);
        assert.match(err.message, message);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
      await assertUntouched();
    };

    it('refuses a media file with one byte flipped (its SHA-256 no longer matches)', async () => {
      await rewriteArchive(good, bad, (entries) => {
        const media = entries.find((e) => e.name.startsWith('media/'))!;
        const at = media.data.length >> 1;
        media.data[at] = media.data[at]! ^ 0x01;
      });
      await refused(bad, ArchiveError, /^media\/.+ does not match its SHA-256 in the manifest: the archive is damaged$/);
    });

    it('refuses a truncated archive', async () => {
      const bytes = fs.readFileSync(good);
      fs.writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await refused(bad, ArchiveError, /truncated/);
    });

    it('refuses an archive whose bytes were damaged on the way', async () => {
      const bytes = Buffer.from(fs.readFileSync(good));
      const at = Math.floor(bytes.length / 3);
      bytes[at] = bytes[at]! ^ 0xff;
      await refused(bad, ArchiveError, /damaged|truncated/);
    });

    it('refuses an archive without its manifest', async () => {
      await rewriteArchive(good, bad, (entries) => entries.filter((e) => e.name !== 'manifest.json'));
      await refused(bad, ArchiveError, /has no manifest\.json/);
    });

    it('refuses an archive of a newer format version or a newer schema', async () => {
      await rewriteArchive(good, bad, (_, m) => void (m.formatVersion = 2));
      await refused(bad, ArchiveError, /format version 2, newer than this Masthead reads \(1\)/);
      await rewriteArchive(good, bad, (_, m) => {
        m.source.migrations.push('29991231T0000-from-the-future');
        m.source.schemaVersion = '29991231T0000-from-the-future';
      });
      await refused(bad, ArchiveError, /written by a newer Masthead \(schema 29991231T0000-from-the-future\); upgrade Masthead/);
    });

    it('loads nothing and removes the media it wrote when a row fails to load', async () => {
      // A tag link to a tag that does not exist, checksums made to match; media placed first
      // so they are written before the failing rows.
      await rewriteArchive(
        good,
        bad,
        (entries, manifest) => {
          const part = entries.find((e) => e.name.startsWith('tables/article_tags/'))!;
          const [first] = part.data.toString('utf8').split('\n');
          const row = JSON.parse(first!);
          row[1] = 'no-such-tag';
          part.data = Buffer.concat([part.data, Buffer.from(`${JSON.stringify(row)}\n`)]);
          manifest.tables.find((t: { name: string }) => t.name === 'article_tags').rows += 1;
          return [...entries.filter((e) => e.name.startsWith('media/')), ...entries.filter((e) => !e.name.startsWith('media/'))];
        },
        { resign: true },
      );
      await assert.rejects(restoreSite(target.deps, bad), (err: Error) => !(err instanceof ArchiveError));
      await assertUntouched();
    });

    it('refuses a database that is not empty, and a media store that holds the images', async () => {
      const { manifest } = await restoreSite(target.deps, good);
      const before = filesUnder(target.mediaDir);
      await assert.rejects(
        restoreSite(target.deps, good),
        (err: Error) =>
          err instanceof RestoreTargetError &&
          /^the database is not empty \(table \w+ has rows\): restore needs an empty database$/.test(err.message),
      );
      assert.deepEqual(filesUnder(target.mediaDir), before);
      const other = await emptyTarget(dialect);
      try {
        fs.mkdirSync(path.join(other.mediaDir, manifest.media.keys[0]!), { recursive: true });
        fs.writeFileSync(path.join(other.mediaDir, manifest.media.keys[0]!, 'original.jpg'), 'someone else');
        await assert.rejects(
          restoreSite(other.deps, good),
          (err: Error) => err instanceof RestoreTargetError && /media store already holds/.test(err.message),
        );
        assert.equal((await other.deps.db.selectFrom('articles').select('id').execute()).length, 0);
      } finally {
        await other.destroy();
      }
    });
  });
}

for (const { dialect, skip } of dialects) {
  describe(`${dialect}: export during writes`, { skip }, () => {
    let site: TestSite;
    after(() => site?.close());

    it('takes one snapshot: saves committed mid-export are not in it, and the story matches its revisions', async () => {
      site = await createTestSite(dialect, { demo: true, generated: 2, clock });
      const { deps } = site;
      const story = await deps.db.selectFrom('articles').selectAll().where('slug', '=', SEED_PATH.split('/')[2]!).executeTakeFirstOrThrow();
      const archive = path.join(tmp, `during-${dialect}.tar.gz`);
      let saved = 0;
      let revision = story.revision;
      const input = () =>
        buildArticleInput({ sectionId: story.section_id, headline: `${story.headline} (${saved})`, status: 'published', slug: story.slug });
      await exportSite(deps, archive, {
        batchSize: 2,
        // Three saves commit after the articles table was read and while the revisions are read.
        onProgress: async (p) => {
          if (p.table !== 'article_revisions' || saved) return;
          for (let i = 0; i < 3; i++) {
            saved++;
            revision = (await updateArticle(deps, story.id, input(), revision)).revision;
          }
        },
      });
      assert.equal(saved, 3);
      const target = await emptyTarget(dialect);
      try {
        await restoreSite(target.deps, archive);
        const restored = await target.deps.db.selectFrom('articles').selectAll().where('id', '=', story.id).executeTakeFirstOrThrow();
        const revisions = await target.deps.db
          .selectFrom('article_revisions')
          .select((eb) => eb.fn.max('revision').as('max'))
          .where('article_id', '=', story.id)
          .executeTakeFirstOrThrow();
        assert.equal(restored.revision, story.revision, 'the story as it was when the export began');
        assert.equal(restored.headline, story.headline);
        assert.equal(Number(revisions.max), restored.revision, 'no revision newer than the story');
        assert.equal(revision, story.revision + 3, 'the saves themselves went through');
      } finally {
        await target.destroy();
      }
    });
  });
}

for (const { dialect, skip } of dialects) {
  describe(`${dialect}: an archive from an older schema`, { skip }, () => {
    it('is loaded at its own schema version, then migrated to the latest', async () => {
      const names = Object.keys(migrations);
      const older = names[names.indexOf('20261203T1630-create-search-index') - 1]!;
      const { migrateTo } = await import('../../db/migrate.ts');
      const source = await emptyTarget('sqlite', { migrate: false });
      const target = await emptyTarget(dialect);
      try {
        await migrateTo(source.deps.db, older);
        await source.deps.db
          .insertInto('sections')
          .values({ id: 's1', slug: 'news', name: 'أخبار', description: '', position: 0, created_at: NOW.toISOString() })
          .execute();
        const file = path.join(tmp, `older-${dialect}.tar.gz`);
        const { manifest } = await exportSite({ ...source.deps, clock }, file);
        assert.equal(manifest.source.schemaVersion, older);
        assert.ok(!manifest.tables.some((t) => t.name === 'search_documents'));
        await restoreSite(target.deps, file);
        assert.deepEqual(await target.deps.db.selectFrom('sections').select(['id', 'name']).execute(), [{ id: 's1', name: 'أخبار' }]);
        const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(target.deps.db);
        assert.deepEqual(
          applied.rows.map((r) => r.name),
          names,
        );
      } finally {
        await source.destroy();
        await target.destroy();
      }
    });
  });
}
