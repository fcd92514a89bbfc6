import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { fold, words } from './search-language.ts';

/*
 * The vocabulary spelling suggestions draw on: every word of the stories readers can see,
 * with how many of them contain it. It is kept by the story's own save (search-index.ts), in
 * its transaction, from the difference between the words the document counted before and
 * after, so a save that changes a few words writes a few rows, and a draft's words never
 * enter it: a suggestion can never reveal what readers cannot see.
 */

/** Words shorter or longer than this, or with digits, are never suggested (nor counted). */
export const MIN_TERM_CHARS = 3;
export const MAX_TERM_CHARS = 40;
/** Rows per upsert statement (5 parameters each). */
const UPSERT_ROWS = 200;

/** Whether a word (lower-case, as `words` gives it) belongs in the vocabulary. */
export function isVocabularyWord(word: string): boolean {
  if (/\p{N}/u.test(word)) return false;
  const n = [...fold(word)].length;
  return n >= MIN_TERM_CHARS && n <= MAX_TERM_CHARS;
}

/** isVocabularyWord's answers, remembered: running text repeats a few thousand words (cleared when full). */
const vocabularyWordMemo = new Map<string, boolean>();
const WORDS_REMEMBERED = 50_000;

/** The distinct vocabulary words of some texts. */
export function vocabularyTerms(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    for (const w of words(text)) {
      let ok = vocabularyWordMemo.get(w);
      if (ok === undefined) {
        ok = isVocabularyWord(w);
        if (vocabularyWordMemo.size >= WORDS_REMEMBERED) vocabularyWordMemo.clear();
        vocabularyWordMemo.set(w, ok);
      }
      if (ok) out.add(w);
    }
  }
  return out;
}

/**
 * Applies per-word changes of document counts in `trx`: one upsert per 200 words, in word
 * order, so concurrent saves on PostgreSQL lock shared rows in the same order (no deadlock);
 * words no visible story contains any more are deleted.
 */
export async function changeVocabulary(trx: Db, deltas: ReadonlyMap<string, number>): Promise<void> {
  const terms = [...deltas.entries()].filter(([, d]) => d !== 0).map(([t]) => t);
  if (!terms.length) return;
  terms.sort();
  for (let i = 0; i < terms.length; i += UPSERT_ROWS) {
    const values = terms.slice(i, i + UPSERT_ROWS).map((t) => {
      const f = fold(t);
      return sql`(${t}, ${f}, ${[...f][0]!}, ${[...f].length}, ${deltas.get(t)!})`;
    });
    await sql`insert into search_vocabulary (term, folded, initial, length, doc_count) values ${sql.join(values)}
      on conflict (term) do update set doc_count = search_vocabulary.doc_count + excluded.doc_count`.execute(trx);
  }
  const gone = terms.filter((t) => deltas.get(t)! < 0);
  for (let i = 0; i < gone.length; i += 500) {
    await trx
      .deleteFrom('search_vocabulary')
      .where('term', 'in', gone.slice(i, i + 500))
      .where('doc_count', '<=', 0)
      .execute();
  }
}

/** The change from a document counting `before` to counting `after`. */
export function vocabularyDelta(before: ReadonlySet<string>, after: ReadonlySet<string>, into = new Map<string, number>()) {
  for (const t of before) if (!after.has(t)) into.set(t, (into.get(t) ?? 0) - 1);
  for (const t of after) if (!before.has(t)) into.set(t, (into.get(t) ?? 0) + 1);
  return into;
}

/** Which of these accent-folded words some visible story contains. */
export async function knownFolded(db: Db, folded: readonly string[]): Promise<Set<string>> {
  if (!folded.length) return new Set();
  const rows = await db.selectFrom('search_vocabulary').select('folded').where('folded', 'in', folded).execute();
  return new Set(rows.map((r) => r.folded));
}

/** Empties the vocabulary and marks every document uncounted (a full reindex counts them again). */
export async function resetVocabulary(trx: Db): Promise<void> {
  await trx.deleteFrom('search_vocabulary').execute();
  await trx.updateTable('search_documents').set({ in_vocabulary: 0 }).where('in_vocabulary', '=', 1).execute();
}
