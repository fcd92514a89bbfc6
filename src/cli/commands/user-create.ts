import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../../domain/accounts/role.ts';
import { emailSchema } from '../../domain/accounts/user.ts';
import { createUser } from '../../domain/accounts/user-service.ts';
import type { CliCommand } from '../cli-context.ts';
import { CliError, readPassword } from '../cli-io.ts';

export const userCreateCommand: CliCommand = {
  name: 'user create',
  summary: 'create a newsroom account (password from stdin or a hidden prompt)',
  usage: `user create --email <email> --name <name> --role <${ROLES.join('|')}>`,
  async run(args, ctx) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0]!, 2);
    }
    if (values.password !== undefined)
      throw new CliError('never pass a password as an argument (it stays in shell history); pipe it in or type it at the prompt', 2);
    const missing = (['email', 'name', 'role'] as const).filter((k) => !values[k]);
    if (missing.length) throw new CliError(`missing ${missing.map((m) => `--${m}`).join(', ')}; usage: ${this.usage}`, 2);

    // Check what we can before asking for the password, so nobody types it in vain.
    if (!isRole(values.role!)) throw new CliError(`--role must be one of: ${ROLES.join(', ')} (got "${values.role}")`, 2);
    const email = emailSchema.safeParse(values.email);
    if (!email.success) throw new CliError(`--email: ${email.error.issues[0]?.message ?? 'invalid'}`, 2);

    const password = await readPassword(ctx.io);
    const deps = await ctx.openDeps();
    const user = await createUser(deps, { email: values.email!, name: values.name!, role: values.role!, password }, null);
    ctx.io.stdout.write(`Created ${user.role} ${user.email} (${user.name}), id ${user.id}\n`);
  },
};
