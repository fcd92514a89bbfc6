import { ConfigError, loadConfig } from '../config.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDeps, type Deps } from '../deps.ts';
import { runCli } from './cli.ts';

/** `npm run masthead -- <command>`: operator commands against the configured database. */
async function main(): Promise<number> {
  let deps: Deps | undefined;
  try {
    return await runCli(process.argv.slice(2), {
      io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      async openDeps(options) {
        deps = await createDeps(loadConfig());
        // A fresh install may run a command before the server ever started.
        if (options?.migrate !== false) await migrateToLatest(deps.db);
        return deps;
      },
    });
  } finally {
    await deps?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DatabaseUnavailableError) process.stderr.write(`masthead: ${err.message}\n`);
    else process.stderr.write(`masthead: failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
