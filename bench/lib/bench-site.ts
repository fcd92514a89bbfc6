import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../../src/deps.ts';
import { createApiToken } from '../../src/domain/api-tokens/api-token-service.ts';
import { createUser } from '../../src/domain/accounts/user-service.ts';
import type { LoadReport, LoadSpec } from './ipc.ts';
import { forkTs, type Child } from './processes.ts';

/* What several benchmarks share: the seeded site, an Admin API token, a load run in its own process. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Migrates the database `env` names and loads the demo content in a child process of its own. */
export async function seedSite(env: NodeJS.ProcessEnv, children: Child[]): Promise<void> {
  const seeder = forkTs('seed', 'masthead-server.ts', ['seed'], env);
  children.push(seeder);
  await seeder.next('seeded');
}

/** An administrator and an editor-role Admin API token, written straight into the database. */
export async function createBenchToken(deps: Deps, name: string): Promise<string> {
  const admin = await createUser(
    deps,
    { email: 'bench@example.test', name: 'Bench', role: 'admin', password: 'bench password 1234' },
    null,
  );
  const { secret } = await createApiToken(deps, { userId: admin.id, role: 'admin' }, { name, role: 'editor' });
  return secret;
}

/** One load run by the load generator in its own child process (never a server's or the driver's event loop). */
export function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const proc = fork(path.join(ROOT, 'dist', 'bench', 'lib', 'load-generator.js'), [JSON.stringify(spec)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<LoadReport>((resolve, reject) => {
    let result: LoadReport | undefined;
    proc.on('message', (m) => (result = m as LoadReport));
    proc.on('error', reject);
    proc.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`))));
  });
}
