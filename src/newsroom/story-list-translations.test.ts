import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { signedInClient, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { SEED_ARTICLE } from '../demo/demo-content.ts';
import { SEED_TRANSLATIONS } from '../demo/demo-editions.ts';
import { addNote } from '../domain/articles/article-notes.ts';

/*
 * The desk's story list shows which translations fell behind their source: a correction to
 * the English seed story flags its French and Arabic versions (translation-drift.ts), the
 * list badges those rows, and an editor's confirmation takes the badge away.
 */

/** Row headline → whether it carries the out-of-date badge. */
function badges(body: string): Map<string, boolean> {
  const doc = parseHTML(body).document;
  return new Map(
    Array.from(doc.querySelectorAll('tbody tr')).map((tr) => [
      tr.querySelector('a.nr-strong')!.textContent!,
      tr.querySelector('.nr-badge--stale')?.textContent === 'Translation out of date',
    ]),
  );
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the story list flags translations out of date`, { skip }, () => {
    let site: TestSite;
    let client: NewsroomClient;

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 0 });
      const { editor } = await seedStaff(site.deps, { editor: ['editor'] });
      client = await signedInClient(site, editor, '203.0.113.61');
    });
    after(() => site?.close());

    it('badges the rows whose source was corrected, until an editor confirms', async () => {
      const list = async () => {
        const res = await client.get('/newsroom/stories');
        assert.equal(res.statusCode, 200);
        return badges(res.body);
      };
      const before = await list();
      assert.equal(before.get(SEED_TRANSLATIONS.fr.headline), false);
      assert.equal(before.get(SEED_TRANSLATIONS.ar.headline), false);

      const seed = await site.deps.db
        .selectFrom('articles')
        .select('id')
        .where('headline', '=', SEED_ARTICLE.headline)
        .executeTakeFirstOrThrow();
      const editor = await site.deps.db.selectFrom('users').select('id').where('role', '=', 'editor').executeTakeFirstOrThrow();
      await addNote(site.deps, seed.id, { kind: 'correction', text: 'The date was wrong.' }, { userId: editor.id, role: 'editor' });

      const flagged = await list();
      assert.equal(flagged.get(SEED_TRANSLATIONS.fr.headline), true);
      assert.equal(flagged.get(SEED_TRANSLATIONS.ar.headline), true);
      assert.equal(flagged.get(SEED_ARTICLE.headline), false, 'the source itself is not behind');
      assert.equal([...flagged.values()].filter(Boolean).length, 2, 'no other row is flagged');

      const fr = await site.deps.db
        .selectFrom('articles')
        .select('id')
        .where('headline', '=', SEED_TRANSLATIONS.fr.headline)
        .executeTakeFirstOrThrow();
      const confirmed = await client.submit(`/newsroom/stories/${fr.id}`, `/newsroom/stories/${fr.id}/translation/confirm`, {});
      assert.equal(confirmed.statusCode, 303);
      const after = await list();
      assert.equal(after.get(SEED_TRANSLATIONS.fr.headline), false, 'confirmed: no badge');
      assert.equal(after.get(SEED_TRANSLATIONS.ar.headline), true, 'the Arabic version is still behind');
    });
  });
}
