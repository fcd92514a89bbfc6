import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importWordpressExport } from '../domain/wire/wordpress-import.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';

const WXR = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/wordpress/masthead-newsroom.xml'),
  'utf8',
);

for (const { dialect, skip } of await testDialects()) {
  describe(`old addresses of imported stories, through the page cache (${dialect})`, { skip }, () => {
    let site: TestSite;
    before(async () => {
      site = await createTestSite(dialect, { pageCacheMb: 8 });
      await importWordpressExport(site.deps, WXR);
    });
    after(async () => site?.close());

    it('keeps the 301 in the page cache, tagged with its story; a story unpublished by a re-import takes it back to 404', async () => {
      const url = '/2024/05/18/ferry-timetable-changes/';
      const first = await site.app.inject({ method: 'GET', url });
      assert.equal(first.statusCode, 301);
      assert.equal(first.headers.location, '/harbour/ferry-timetable-changes');
      assert.match(String(first.headers['surrogate-key']), /story:/);
      const second = await site.app.inject({ method: 'GET', url });
      assert.equal(second.statusCode, 301);
      assert.equal(second.headers['x-page-cache'], 'hit');

      // The same export with the post turned back into a draft: the update purges the story's tag.
      const unpublished = WXR.replace(
        /(<wp:post_name><!\[CDATA\[ferry-timetable-changes\]\]><\/wp:post_name>\s*<wp:status><!\[CDATA\[)publish/,
        '$1draft',
      );
      assert.notEqual(unpublished, WXR);
      await importWordpressExport(site.deps, unpublished);
      const after = await site.app.inject({ method: 'GET', url });
      assert.equal(after.statusCode, 404);
      assert.equal((await site.app.inject({ method: 'GET', url: '/?p=45' })).statusCode, 404);
    });

    it('leaves pages that exist alone, and the home page answers with unrelated query parameters', async () => {
      assert.equal((await site.app.inject({ method: 'GET', url: '/local-politics/council-approves-harbour-budget' })).statusCode, 200);
      assert.equal((await site.app.inject({ method: 'GET', url: '/?utm_source=x' })).statusCode, 200);
      assert.equal((await site.app.inject({ method: 'GET', url: '/?p=42' })).statusCode, 301);
      assert.equal((await site.app.inject({ method: 'POST', url: '/2024/05/20/council-approves-harbour-budget/' })).statusCode, 404);
    });
  });
}
