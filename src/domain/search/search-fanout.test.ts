import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config.ts';
import { createDeps, type Deps } from '../../deps.ts';
import { buildArticleInput, FIXED_NOW, paragraphs } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { createArticle } from '../articles/article-service.ts';
import { storyTag } from '../changes/cache-tags.ts';
import { createSection } from '../sections/section.ts';
import { searchInputSchema, searchPublished } from './search-service.ts';

/*
 * Search reads the languages its index holds once for many searches (a change-dropped memo).
 * Two nodes over one PostgreSQL database, their buses joined by LISTEN/NOTIFY, both with a
 * clock that stands still (so the memo's trusted time never runs out): the first story in a
 * new language, published on node A, is found on node B as soon as B has heard the change.
 */

const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!;

describe('postgres: a story in a language new to the index, published on another node', { skip: postgres.skip }, () => {
  let db: TestDatabase;
  let a: Deps;
  let b: Deps;
  const mediaDirs: string[] = [];
  const heardOnB: string[] = [];

  async function startNode(nodeId: string, channel: string, handle?: DatabaseHandle): Promise<Deps> {
    const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-search-node-'));
    mediaDirs.push(mediaDir);
    const config = loadConfig({ MASTHEAD_DATABASE_URL: db.location, MASTHEAD_MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent' });
    const deps = await createDeps(config, { ...(handle ? { handle } : {}), changeChannel: channel, nodeId, clock: () => FIXED_NOW });
    await deps.changes.start();
    return deps;
  }

  before(async () => {
    db = await createTestDatabase('postgres');
    const channel = `masthead_search_test_${crypto.randomBytes(4).toString('hex')}`;
    a = await startNode('search-a', channel, db.handle);
    b = await startNode('search-b', channel);
    b.changes.subscribe((change, origin) => {
      if (origin === 'remote') heardOnB.push(...change.tags);
    });
  });
  after(async () => {
    await b?.close();
    await a?.deferredWork.drain();
    await a?.changes.close();
    await db?.destroy();
    for (const dir of mediaDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function heardOnNodeB(tag: string): Promise<void> {
    for (let waited = 0; !heardOnB.includes(tag); waited += 20) {
      assert.ok(waited < 30_000, `node B hears ${tag}`);
      await sleep(20);
    }
  }

  it('is found on node B at once: the change B hears drops the languages it had read', async () => {
    const found = async (q: string) => (await searchPublished(b, searchInputSchema.parse({ q }), 10)).results.map((r) => r.teaser.headline);
    const section = await createSection(a.db, { name: 'Europe' }, FIXED_NOW);
    const english = await createArticle(a, buildArticleInput({ sectionId: section.id, headline: 'Voters wait for the results' }));
    await heardOnNodeB(storyTag(english.id));
    // B reads the index's languages now (English only) and would keep them while its clock stands still.
    assert.deepEqual(await found('voters'), ['Voters wait for the results']);
    assert.deepEqual(await found('bretonne'), []);

    const french = await createArticle(
      a,
      buildArticleInput({
        sectionId: section.id,
        language: 'fr',
        headline: 'Les électeurs bretons attendent les résultats',
        body: paragraphs('Dépouillement tardif à Quimper.'),
      }),
    );
    await heardOnNodeB(storyTag(french.id));
    // A form only French stems to the headline's word: B reads the query in French now.
    assert.deepEqual(await found('bretonne'), ['Les électeurs bretons attendent les résultats']);
  });
});
