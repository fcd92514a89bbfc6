import type { Role } from '../../src/domain/accounts/role.ts';
import type { CreateUserInput, User } from '../../src/domain/accounts/user.ts';
import { createUser } from '../../src/domain/accounts/user-service.ts';
import type { ServiceDeps } from '../../src/domain/deps.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

let counter = 0;

/** A valid user input with a unique email; override any field. */
export function buildUserInput(overrides: Partial<CreateUserInput> = {}): CreateUserInput {
  counter += 1;
  return {
    email: `reporter${counter}@example.test`,
    name: `Reporter ${counter}`,
    role: 'contributor',
    password: TEST_PASSWORD,
    ...overrides,
  };
}

/** Creates a user (as the system) with the given role. */
export async function seedUser(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  role: Role = 'contributor',
  overrides: Partial<CreateUserInput> = {},
): Promise<User> {
  return createUser(deps, buildUserInput({ role, ...overrides }), null);
}

/** Seeds one user per entry (`{ admin: ['admin', 'Ada Admin'] }`), in order; returns them under the same keys. */
export async function seedStaff<K extends string>(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  staff: Record<K, readonly [Role, string?]>,
): Promise<Record<K, User>> {
  const users = {} as Record<K, User>;
  for (const [key, [role, name]] of Object.entries(staff) as Array<[K, readonly [Role, string?]]>)
    users[key] = await seedUser(deps, role, name === undefined ? {} : { name });
  return users;
}
