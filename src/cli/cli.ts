import type { Deps } from '../deps.ts';
import { DomainError } from '../domain/errors.ts';
import type { CliCommand, CliContext } from './cli-context.ts';
import { CliError } from './cli-io.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { restoreCommand } from './commands/restore.ts';
import { searchReindexCommand } from './commands/search-reindex.ts';
import { userCreateCommand } from './commands/user-create.ts';

/** Every command. */
export const COMMANDS: readonly CliCommand[] = [userCreateCommand, importCommand, searchReindexCommand, exportCommand, restoreCommand];

function help(): string {
  return [
    'usage: npm run masthead -- <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
  ].join('\n');
}

/**
 * Runs one command line and returns the exit code: 0 done, 1 failed (message on stderr,
 * one line), 2 bad usage, 130 cancelled at a prompt.
 */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? ctx.io.stderr : ctx.io.stdout).write(help());
    return argv.length === 0 ? 2 : 0;
  }
  // The longest command name matching the first words wins (`user create` over `user`).
  const command = [...COMMANDS]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  if (!command) {
    ctx.io.stderr.write(`masthead: unknown command "${argv.slice(0, 2).join(' ')}"\n${help()}`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.io.stdout.write(`usage: npm run masthead -- ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  // The deps the command opened, so its deferred work (related lists of stories it wrote) is
  // finished before the command reports its exit code, even where the caller keeps deps open.
  let opened: Deps | undefined;
  const tracked: CliContext = {
    ...ctx,
    openDeps: async (options) => (opened = await ctx.openDeps(options)),
  };
  try {
    await command.run(rest, tracked);
    return 0;
  } catch (err) {
    // Refusals are one line for the person at the terminal; anything else is a bug, with its stack.
    if (!(err instanceof CliError || err instanceof DomainError)) throw err;
    ctx.io.stderr.write(`masthead: ${err.message}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    await opened?.deferredWork.drain();
  }
}
