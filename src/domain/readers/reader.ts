import { z } from 'zod';
import type { ReaderTable } from '../../db/schema.ts';
import { ValidationError } from '../errors.ts';
import { DISPLAY_NAME_MAX_LENGTH, DISPLAY_NAME_MIN_LENGTH, normalizeDisplayName, textLength } from '../comments/comment-text.ts';

/** A reader (commenter) account; separate from newsroom users, never with its password hash. */
export interface Reader {
  id: string;
  email: string;
  displayName: string;
  /** Verified the email address (only asked for when the site can send email). */
  emailVerified: boolean;
  createdAt: string;
}

export const READER_MIN_PASSWORD_LENGTH = 10;

export const readerEmailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address, such as name@example.com.').max(254, 'Email address is too long.'));

export const displayNameSchema = z
  .string({ error: 'Enter a display name.' })
  .transform(normalizeDisplayName)
  .refine((v) => textLength(v) >= DISPLAY_NAME_MIN_LENGTH, `Display name must be at least ${DISPLAY_NAME_MIN_LENGTH} characters long.`)
  .refine((v) => textLength(v) <= DISPLAY_NAME_MAX_LENGTH, `Display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters long.`);

export const signUpInputSchema = z.object({
  displayName: displayNameSchema,
  email: readerEmailSchema,
  password: z
    .string({ error: 'Choose a password.' })
    .min(READER_MIN_PASSWORD_LENGTH, `Password must be at least ${READER_MIN_PASSWORD_LENGTH} characters long.`)
    .max(1024, 'Password must be at most 1024 characters long.'),
});
export type SignUpInput = z.input<typeof signUpInputSchema>;

/** Parses input; failures become one ValidationError whose message reads as sentences. */
export function parseReaderInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new ValidationError([...new Set(issues.map((i) => i.message))].join(' '), issues);
}

export function rowToReader(row: Pick<ReaderTable, 'id' | 'email' | 'display_name' | 'email_verified_at' | 'created_at'>): Reader {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at,
  };
}
