import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { discussionChanged } from '../comments/comment-discussion-change.ts';
import { COMMENT_MAX_LENGTH, commentBodyHash, normalizeCommentText, normalizeDisplayName } from '../comments/comment-text.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ImportLine, SiteComment, SiteSource } from './site-story.ts';

/*
 * Approved comments of a moved story, kept as published comments. Each commenter becomes a
 * reader account that cannot sign in (no password hash can match) and whose email is a
 * digest under `.invalid`, so it never collides with a person who later signs up with their
 * real address, and no address from the export is stored. Comment ids are derived from the
 * export's own identity, so importing again finds them instead of adding copies.
 */

/** A stable UUID-shaped id from a name (same input, same id). */
function derivedId(name: string): string {
  const h = crypto.createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A password hash no password can match (verifyPassword refuses anything it cannot parse). */
const NO_PASSWORD = '!imported';

async function readerFor(trx: Transaction<Database>, source: SiteSource, c: SiteComment, nowIso: string): Promise<string> {
  const who = (c.authorEmail.trim().toLowerCase() || `name:${c.authorName.trim().toLowerCase()}`).normalize('NFC');
  const email = `${crypto.createHash('sha256').update(who).digest('hex').slice(0, 24)}@imported-${source}.invalid`;
  const existing = await trx.selectFrom('readers').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) return existing.id;
  const name = normalizeDisplayName(c.authorName).slice(0, 40);
  await trx
    .insertInto('readers')
    .values({
      id: derivedId(`reader:${email}`),
      email,
      display_name: name.length >= 2 ? name : 'Reader',
      password_hash: NO_PASSWORD,
      email_verified_at: null,
      verify_token_hash: null,
      verify_expires_at: null,
      created_at: c.createdAt <= nowIso ? c.createdAt : nowIso,
      updated_at: nowIso,
      last_login_at: null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  return (await trx.selectFrom('readers').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** Writes the story's comments (replies attach to their thread's top-level comment) and recounts. */
export async function writeImportedComments(
  deps: ServiceDeps,
  trx: Transaction<Database>,
  articleId: string,
  source: SiteSource,
  storyKey: string,
  comments: readonly SiteComment[],
  nowIso: string,
): Promise<ImportLine[]> {
  if (!comments.length) return [];
  const lines: ImportLine[] = [];
  const byId = new Map(comments.map((c) => [c.id, c]));
  const idOf = (c: SiteComment) => derivedId(`${source}:${storyKey}#comment-${c.id}`);
  // One level of threads: a reply to a reply belongs to the thread's top-level comment.
  const rootOf = (c: SiteComment): SiteComment | null => {
    let parent = c.parentId ? byId.get(c.parentId) : undefined;
    const seen = new Set<string>([c.id]);
    while (parent?.parentId && byId.has(parent.parentId) && !seen.has(parent.id)) {
      seen.add(parent.id);
      parent = byId.get(parent.parentId);
    }
    return parent ?? null;
  };
  // Top-level comments first, so a reply's parent row exists when it is inserted.
  const ordered = [...comments].sort((a, b) => Number(rootOf(a) !== null) - Number(rootOf(b) !== null));
  let changed = false;
  for (const c of ordered) {
    const id = idOf(c);
    const label = `${storyKey}#comment-${c.id}`;
    const text = normalizeCommentText(c.text).slice(0, COMMENT_MAX_LENGTH);
    if (text.length < 2) {
      lines.push({ kind: 'comment', ok: false, status: 'skipped', source: label, id: null, error: 'the comment has no text' });
      continue;
    }
    if (await trx.selectFrom('comments').select('id').where('id', '=', id).executeTakeFirst()) {
      lines.push({ kind: 'comment', ok: true, status: 'unchanged', source: label, id });
      continue;
    }
    const root = rootOf(c);
    const createdAt = c.createdAt <= nowIso ? c.createdAt : nowIso;
    await trx
      .insertInto('comments')
      .values({
        id,
        article_id: articleId,
        reader_id: await readerFor(trx, source, c, nowIso),
        parent_id: root ? idOf(root) : null,
        status: 'published',
        queue_reason: null,
        like_count: 0,
        report_count: 0,
        body_hash: commentBodyHash(text),
        ip: '',
        created_at: createdAt,
        edited_at: null,
        published_at: createdAt,
        moderated_by: null,
        moderated_at: null,
        body: text,
      })
      .execute();
    changed = true;
    lines.push({ kind: 'comment', ok: true, status: 'created', source: label, id });
  }
  if (changed) await discussionChanged(deps, trx, articleId, 'import');
  return lines;
}
