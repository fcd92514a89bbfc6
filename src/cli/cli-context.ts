import type { Deps } from '../deps.ts';
import type { CliIo } from './cli-io.ts';

/** What every command receives. Deps open lazily, so `--help` and usage errors need no database. */
export interface CliContext {
  io: CliIo;
  /** `migrate: false` leaves the schema as it is (restore migrates to the archive's version itself). */
  openDeps(options?: { migrate?: boolean }): Promise<Deps>;
}

export interface CliCommand {
  /** Words that select it, e.g. `user create`. */
  name: string;
  summary: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<void>;
}
