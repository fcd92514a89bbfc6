import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { emptyTarget, filesUnder, type RestoreTarget } from '../../../test/support/archive-test-support.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import type { Deps } from '../../deps.ts';
import { runCli } from '../cli.ts';
import type { CliIo } from '../cli-io.ts';

/* `npm run masthead -- export` and `restore` on both databases: exit codes, one-line refusals, progress on stderr. */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: masthead export and restore`, { skip }, () => {
    let site: TestSite;
    let target: RestoreTarget;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-cli-backup-'));
    const archive = path.join(dir, 'site.tar.gz');
    const run = async (argv: string[], deps: () => Deps) => {
      const io = { out: '', err: '', stdin: Readable.from(['']) as CliIo['stdin'] } as CliIo & { out: string; err: string };
      io.stdout = { write: (s: string) => (io.out += s) };
      io.stderr = { write: (s: string) => (io.err += s) };
      const migrateAsked: Array<boolean | undefined> = [];
      const code = await runCli(argv, { io, openDeps: async (o) => (migrateAsked.push(o?.migrate), deps()) });
      return { code, out: io.out, err: io.err, migrateAsked };
    };

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 1 });
      target = await emptyTarget(dialect);
    });
    after(async () => {
      await site?.close();
      await target?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('exports the site with progress lines and a summary', async () => {
      const r = await run(['export', archive], () => site.deps);
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /^Exported \d+ rows from \d+ tables and \d+ media files of 7 images \((sqlite|postgres), schema \S+\) to .+site\.tar\.gz, [\d.]+ MB\n$/,
      );
      assert.match(r.err, /^rows: [\d,]+ \/ [\d,]+ \(100\.0%\) · done in \d+s$/m);
      assert.match(r.err, /^images: 7 \/ 7 \(100\.0%\) · done in \d+s$/m);
      assert.ok(fs.statSync(archive).size > 0);
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f !== 'site.tar.gz'),
        [],
        'no partial file left beside it',
      );
    });

    it('restores into an empty database without migrating it first, then refuses to restore again', async () => {
      const r = await run(['restore', archive], () => target.deps);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(r.migrateAsked, [false]);
      assert.match(r.out, /^Restored \d+ rows into \d+ tables and \d+ media files \(from \w+, schema \S+, exported \S+\) into \w+\n$/);
      assert.match(r.err, /^restoring: [\d.]+ MB \/ [\d.]+ MB \(100\.0%\)/m);
      assert.deepEqual(filesUnder(target.mediaDir), filesUnder(site.mediaDir));

      const again = await run(['restore', archive], () => target.deps);
      assert.equal(again.code, 4);
      assert.match(
        again.err,
        /^masthead: cannot restore: the database is not empty \(table \w+ has rows\): restore needs an empty database$/m,
      );
      assert.equal(
        again.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('masthead:')).length,
        1,
      );
    });

    it('refuses a damaged archive with exit code 3, and bad usage with 2', async () => {
      const bytes = fs.readFileSync(archive);
      const cut = path.join(dir, 'cut.tar.gz');
      fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
      const fresh = await emptyTarget(dialect);
      try {
        const r = await run(['restore', cut], () => fresh.deps);
        assert.equal(r.code, 3);
        assert.match(
          r.err,
          /masthead: cannot restore cut\.tar\.gz: the archive is truncated \(it ends before its last entry\): copy it again\n$/,
        );
        assert.deepEqual(filesUnder(fresh.mediaDir), {});
      } finally {
        await fresh.destroy();
      }
      assert.equal((await run(['restore'], () => target.deps)).code, 2);
      assert.equal((await run(['restore', path.join(dir, 'missing.tar.gz')], () => target.deps)).code, 2);
      assert.equal((await run(['export'], () => site.deps)).code, 2);
      assert.equal((await run(['export', 'a', 'b'], () => site.deps)).code, 2);
    });
  });
}
