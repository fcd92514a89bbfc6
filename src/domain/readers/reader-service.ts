import crypto from 'node:crypto';
import type { ServiceDeps } from '../deps.ts';
import { hashPassword, needsRehash, verifyPassword } from '../accounts/password-hash.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Mailer } from './mailer.ts';
import { parseReaderInput, readerEmailSchema, rowToReader, signUpInputSchema, type Reader, type SignUpInput } from './reader.ts';
import { findReaderByEmail, findReaderById, findReaderByVerifyToken, insertReader, updateReader } from './reader-repository.ts';

/*
 * Reader accounts: sign-up, sign-in and email verification (sessions: reader-sessions.ts).
 * Verification links carry a random token; only its SHA-256 is stored.
 */

export type ReaderDeps = Pick<ServiceDeps, 'db' | 'clock'> & {
  /** Present when the site can send email: sign-up then sends a verification link. */
  mailer?: Mailer;
};

const VERIFY_TTL_MS = 48 * 3600 * 1000;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Whether comments of unverified readers wait for an editor: only when email can be sent. */
export function verificationRequired(deps: ReaderDeps): boolean {
  return deps.mailer !== undefined;
}

/**
 * Creates a reader account. With a mailer, sends the verification link (a failed send does
 * not undo the account: the reader can ask for a new link).
 */
export async function signUpReader(
  deps: ReaderDeps,
  input: SignUpInput,
  options: { siteUrl: string; siteName: string; ip?: string },
): Promise<{ reader: Reader; verificationSent: boolean }> {
  const data = parseReaderInput(signUpInputSchema, input);
  const taken = () => new ConflictError('An account with this email already exists. Sign in instead.');
  if (await findReaderByEmail(deps.db, data.email)) throw taken();
  const passwordHash = await hashPassword(data.password);
  const now = deps.clock();
  const id = newId();
  const token = deps.mailer ? newToken() : null;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertReader(trx, {
        id,
        email: data.email,
        display_name: data.displayName,
        password_hash: passwordHash,
        email_verified_at: null,
        verify_token_hash: token ? sha256(token) : null,
        verify_expires_at: token ? new Date(now.getTime() + VERIFY_TTL_MS).toISOString() : null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        last_login_at: null,
      });
      await recordAudit(trx, {
        at: now,
        actorUserId: null,
        action: 'reader.signed_up',
        subjectType: 'reader',
        subjectId: id,
        details: { ip: options.ip ?? '' },
      });
    });
  } catch (err) {
    if (await findReaderByEmail(deps.db, data.email)) throw taken();
    throw err;
  }
  const reader = rowToReader((await findReaderById(deps.db, id))!);
  const verificationSent = token ? await sendVerification(deps, reader, token, options) : false;
  return { reader, verificationSent };
}

async function sendVerification(
  deps: ReaderDeps,
  reader: Reader,
  token: string,
  options: { siteUrl: string; siteName: string },
): Promise<boolean> {
  if (!deps.mailer) return false;
  const link = `${options.siteUrl}/comments/verify?token=${token}`;
  try {
    await deps.mailer.send({
      to: reader.email,
      subject: `Confirm your email for ${options.siteName}`,
      text: `Hello ${reader.displayName},\n\nPlease confirm your email address so your comments on ${options.siteName} appear without waiting for review:\n\n${link}\n\nThe link works for 48 hours. If you did not sign up, ignore this email.\n`,
    });
    return true;
  } catch {
    return false;
  }
}

/** Sends a fresh verification link to a signed-in, unverified reader. */
export async function resendVerification(
  deps: ReaderDeps,
  readerId: string,
  options: { siteUrl: string; siteName: string },
): Promise<boolean> {
  const row = await findReaderById(deps.db, readerId);
  if (!row || row.email_verified_at || !deps.mailer) return false;
  const token = newToken();
  await updateReader(deps.db, readerId, {
    verify_token_hash: sha256(token),
    verify_expires_at: new Date(deps.clock().getTime() + VERIFY_TTL_MS).toISOString(),
  });
  return sendVerification(deps, rowToReader(row), token, options);
}

/** Marks the reader of a verification token as verified; false for an unknown or expired token. */
export async function verifyReaderEmail(deps: ReaderDeps, token: string): Promise<Reader | null> {
  if (!TOKEN_RE.test(token)) return null;
  const row = await findReaderByVerifyToken(deps.db, sha256(token));
  const now = deps.clock();
  if (!row || !row.verify_expires_at || row.verify_expires_at <= now.toISOString()) return null;
  await deps.db.transaction().execute(async (trx) => {
    await updateReader(trx, row.id, {
      email_verified_at: now.toISOString(),
      verify_token_hash: null,
      verify_expires_at: null,
      updated_at: now.toISOString(),
    });
    await recordAudit(trx, { at: now, actorUserId: null, action: 'reader.verified', subjectType: 'reader', subjectId: row.id });
  });
  return { ...rowToReader(row), emailVerified: true };
}

let dummyHash: Promise<string> | undefined;

/** Checks a reader's email and password; unknown emails cost the same time as wrong passwords. */
export async function authenticateReader(deps: ReaderDeps, input: { email: string; password: string }): Promise<Reader | null> {
  const parsed = readerEmailSchema.safeParse(input.email);
  const password = String(input.password ?? '');
  const row = parsed.success ? await findReaderByEmail(deps.db, parsed.data) : undefined;
  if (!row) {
    dummyHash ??= hashPassword('masthead-dummy-reader-password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, row.password_hash))) return null;
  const now = deps.clock().toISOString();
  await updateReader(deps.db, row.id, {
    last_login_at: now,
    ...(needsRehash(row.password_hash) ? { password_hash: await hashPassword(password), updated_at: now } : {}),
  });
  return rowToReader(row);
}

/** A ValidationError for the sign-in form (one message for unknown email and wrong password). */
export function badReaderCredentials(): ValidationError {
  return new ValidationError('The email or password is incorrect.');
}
