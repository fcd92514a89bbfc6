import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { serviceDepsFor, type TestServiceDeps } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createMediaSweeper } from './media-sweeper.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: media sweeper job`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => new Date() });
    });
    afterEach(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('sweeps on each tick and sleeps an interval', async () => {
      const orphan = path.join(deps.mediaDir, 'left-by-a-crash');
      fs.mkdirSync(orphan);
      fs.writeFileSync(path.join(orphan, 'original.jpg'), 'x');
      const then = new Date(Date.now() - 3 * 3600_000);
      fs.utimesSync(orphan, then, then);
      const infos: object[] = [];
      const logger = { info: (o: object) => void infos.push(o), warn: () => {}, error: () => {} };
      const sweeper = createMediaSweeper(deps, { intervalMs: 1234, logger });
      assert.equal(await sweeper.tick(), 1234);
      assert.equal(fs.existsSync(orphan), false);
      assert.deepEqual(infos, [{ folders: 1, tempFiles: 0 }]);
    });
  });
}
