import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase, testDialects } from '../../../test/support/test-db.ts';
import { createSection } from './section.ts';
import { SECTION_DIRECTORY_TTL_MS, sectionDirectory } from './section-directory.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`section directory (${dialect})`, { skip }, () => {
    it('serves from memory, finds new sections at once and picks up renames after the TTL', async () => {
      const t = await createTestDatabase(dialect);
      try {
        const db = t.handle.db;
        let now = 1_000_000;
        const world = await createSection(db, { name: 'World' }, new Date());
        const dir = sectionDirectory(db, () => now);
        assert.equal((await dir.bySlug('world'))?.id, world.id);
        const first = await dir.list();
        assert.equal(await dir.list(), first, 'the same snapshot is reused within the TTL');

        // A section created after the snapshot is found on the first miss.
        const sport = await createSection(db, { name: 'Sport' }, new Date());
        assert.equal((await dir.bySlug('sport'))?.id, sport.id);
        assert.equal((await dir.byId(sport.id))?.slug, 'sport');
        assert.equal(await dir.bySlug('no-such-section'), undefined);

        await db.updateTable('sections').set({ name: 'World news' }).where('id', '=', world.id).execute();
        assert.equal((await dir.bySlug('world'))?.name, 'World', 'cached name within the TTL');
        now += SECTION_DIRECTORY_TTL_MS;
        assert.equal((await dir.bySlug('world'))?.name, 'World news', 'renamed after the TTL');
        assert.deepEqual((await dir.list()).map((s) => s.slug).sort(), ['sport', 'world']);
      } finally {
        await t.destroy();
      }
    });
  });
}
