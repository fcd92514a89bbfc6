import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { authenticate } from '../domain/accounts/user-service.ts';
import { createTestDatabase, drainBeforeDestroy, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { runCli } from './cli.ts';
import type { CliIo } from './cli-io.ts';

function fakeIo(stdinText: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdin: Readable.from([stdinText]) as CliIo['stdin'],
    stdout: { write: (s: string) => (io.out += s) },
    stderr: { write: (s: string) => (io.err += s) },
  };
  return io;
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: masthead CLI`, { skip }, () => {
    let t: TestDatabase;
    let deps: Deps;
    let opened = 0;
    const run = (argv: string[], stdin = '') => {
      const io = fakeIo(stdin);
      return runCli(argv, { io, openDeps: async () => (opened++, deps) }).then((code) => ({ code, out: io.out, err: io.err }));
    };

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = await createDeps(loadConfig({ LOG_LEVEL: 'silent' }), { handle: t.handle });
      drainBeforeDestroy(t.handle, deps.deferredWork);
    });
    after(() => t?.destroy());

    it('user create reads the password from piped stdin (first line only) and creates the account', async () => {
      const r = await run(
        ['user', 'create', '--email', 'Wire@Example.test', '--name', 'Wire Desk', '--role', 'author'],
        'a piped password 123\nignored second line\n',
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Created author wire@example\.test \(Wire Desk\), id [0-9a-f-]{36}\n$/);
      assert.ok((await authenticate(deps, { email: 'wire@example.test', password: 'a piped password 123' })).ok);
    });

    it('a command that writes stories ends with their related lists refreshed, though the caller keeps deps open', async () => {
      // Counts the refreshes the import queues and those finished, through the deps runCli is handed.
      const counts = { queued: 0, finished: 0 };
      const work = deps.deferredWork;
      const counted: Deps = {
        ...deps,
        deferredWork: {
          ...work,
          run: (label, fn, context) => {
            counts.queued++;
            work.run(label, () => fn().finally(() => counts.finished++), context);
          },
        },
      };
      const wp = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/wordpress');
      const io = fakeIo('');
      const code = await runCli(['import', path.join(wp, 'masthead-newsroom.xml'), '--media', path.join(wp, 'uploads')], {
        io,
        openDeps: async () => counted,
      });
      assert.equal(code, 0, io.err);
      assert.ok(counts.queued > 0, 'the published stories queued their refreshes');
      assert.equal(counts.finished, counts.queued, 'all done when the exit code is known');
      assert.equal(work.pending(), 0);
    });

    it('reports problems in one line with exit code 1 (bad input) or 2 (bad usage)', async () => {
      const dup = await run(
        ['user', 'create', '--email', 'wire@example.test', '--name', 'Again', '--role', 'author'],
        'a piped password 123\n',
      );
      assert.deepEqual([dup.code, dup.err], [1, 'masthead: A user with the email wire@example.test already exists.\n']);
      const short = await run(['user', 'create', '--email', 'new@example.test', '--name', 'New', '--role', 'author'], 'short\n');
      assert.deepEqual([short.code, short.err], [1, 'masthead: Password must be at least 12 characters long.\n']);
      const none = await run(['user', 'create', '--email', 'new@example.test', '--name', 'New', '--role', 'author'], '');
      assert.equal(none.code, 1);
      assert.match(none.err, /no password on standard input/);

      const before = opened;
      const role = await run(
        ['user', 'create', '--email', 'new@example.test', '--name', 'New', '--role', 'boss'],
        'a piped password 123\n',
      );
      assert.deepEqual([role.code, role.err], [2, 'masthead: --role must be one of: contributor, author, editor, admin (got "boss")\n']);
      const argvPassword = await run([
        'user',
        'create',
        '--email',
        'x@example.test',
        '--name',
        'X',
        '--role',
        'admin',
        '--password',
        'hunter2hunter2',
      ]);
      assert.equal(argvPassword.code, 2);
      assert.match(argvPassword.err, /never pass a password as an argument/);
      const missing = await run(['user', 'create', '--email', 'x@example.test']);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /missing --name, --role/);
      const unknown = await run(['frobnicate']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /unknown command "frobnicate"/);
      assert.equal(opened, before, 'usage errors never open the database');
      assert.equal((await run(['--help'])).code, 0);
    });
  });
}
