import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { editionDirectory } from '../domain/editions/edition-directory.ts';
import { editionScope, type Edition, type EditionScope } from '../domain/editions/edition.ts';
import { editionViewForLanguage, translationAlternates, type EditionView } from '../domain/editions/edition-view.ts';
import { ValidationError } from '../domain/errors.ts';
import { listPublishedTranslations } from '../domain/published/article-translations.ts';

/*
 * The Content API's view of language editions: the `edition=` filter (an edition's stories,
 * as its fronts list them: the same scope) and, for each story, its edition, its address
 * there and its published translations, all from the editions the site routes by, so the
 * API's URLs are the site's canonical ones.
 */

export const editionQuerySchema = z
  .string()
  .regex(/^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/, 'must be an edition code such as "fr"')
  .meta({ description: 'Only stories of this language edition (its code, e.g. `fr`), as its fronts list them' });

/** The scope of the edition named by `code` (undefined: every story); an unknown code is refused with 400. */
export async function requestedEditionScope(deps: Deps, code: string | undefined): Promise<EditionScope | undefined> {
  if (code === undefined) return undefined;
  const snap = await editionDirectory(deps.db).current();
  const edition = snap.editions.find((e) => e.code === code);
  if (!edition) {
    const message = `there is no edition "${code}"; choose from ${snap.editions.map((e) => e.code).join(', ')}`;
    throw new ValidationError(`query.edition: ${message}`, [{ path: 'query.edition', message }]);
  }
  return editionScope(snap.editions, edition);
}

export const translationJsonSchema = z.strictObject({
  id: z.string(),
  language: z.string().meta({ description: 'BCP 47 language tag' }),
  edition: z.string().meta({ description: 'The code of the edition it belongs to' }),
  headline: z.string(),
  url: z.string().meta({ description: 'Canonical public URL in its edition' }),
});
export type TranslationJson = z.infer<typeof translationJsonSchema>;

/** The edition view a story in a language is linked by. */
export async function editionViews(deps: Deps): Promise<(language: string) => EditionView> {
  const snap = await editionDirectory(deps.db).current();
  return (language) => editionViewForLanguage(snap, language, deps.config.siteUrl);
}

/** How one story is linked in its edition: what the presenters need to write its URLs. */
export interface ArticleLinks {
  edition: Edition;
  view: EditionView;
  /** The story's other published versions (never itself, never an unpublished one). */
  translations: TranslationJson[];
}

/** Links for a page of stories: the editions' snapshot and one batched query for their translations. */
export async function articleLinks(
  deps: Deps,
  stories: ReadonlyArray<{ id: string; language: string; translationGroupId: string }>,
): Promise<(story: { id: string; language: string; translationGroupId: string }) => ArticleLinks> {
  const viewOf = await editionViews(deps);
  const groups = stories.length
    ? await listPublishedTranslations(
        deps.db,
        stories.map((s) => s.translationGroupId),
        deps.clock().toISOString(),
      )
    : new Map<string, never[]>();
  return (story) => {
    const view = viewOf(story.language);
    const translations = translationAlternates(view, groups.get(story.translationGroupId) ?? [])
      .filter((t) => t.hreflang !== 'x-default' && t.id !== story.id)
      .map((t) => ({
        id: t.id,
        language: t.hreflang,
        edition: view.forLanguage(t.hreflang).edition.code,
        headline: t.headline,
        url: t.href,
      }));
    return { edition: view.edition, view, translations };
  };
}
