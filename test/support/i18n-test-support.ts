import type { Deps } from '../../src/deps.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import { createAuthor } from '../../src/domain/authors/author.ts';
import { buildArticleInput, paragraphs } from './factories.ts';

/** Stories in French, Arabic and Persian, each with a byline mixing scripts, published an hour ago. */
export const STORIES = {
  fr: {
    headline: 'Les négociations reprennent à Genève',
    body: 'Les délégations se sont retrouvées jeudi matin pour une nouvelle session.',
  },
  ar: {
    headline: 'استئناف المفاوضات في جنيف بعد توقف دام 3 أشهر',
    body: 'اجتمعت الوفود صباح الخميس في جولة جديدة من المحادثات حول وقف إطلاق النار.',
  },
  fa: {
    headline: 'از سرگیری مذاکرات در ژنو پس از سه ماه',
    body: 'هیئت‌ها صبح پنجشنبه برای دور تازه‌ای از گفت‌وگوها گرد هم آمدند.',
  },
  de: {
    headline: 'Verhandlungen in Genf wieder aufgenommen',
    body: 'Die Delegationen kamen am Donnerstagmorgen zu einer neuen Gesprächsrunde zusammen.',
  },
  es: {
    headline: 'Se reanudan las negociaciones en Ginebra',
    body: 'Las delegaciones se reunieron el jueves por la mañana para una nueva ronda de conversaciones.',
  },
} as const;

export type StoryLanguage = keyof typeof STORIES;

/** Publishes one story per language in the demo's World section (with `tagIds`); returns their public paths. */
export async function seedTranslatedStories(deps: Deps, tagIds: string[] = []): Promise<Record<StoryLanguage, string>> {
  const world = await deps.db.selectFrom('sections').select(['id', 'slug']).where('slug', '=', 'world').executeTakeFirstOrThrow();
  // A Latin-script name in an Arabic byline: the case <bdi> exists for.
  const reporter = await createAuthor(deps.db, { name: 'Amira Haddad', slug: 'amira-haddad-desk' }, deps.clock());
  const local = await createAuthor(deps.db, { name: 'ليلى منصور', slug: 'layla-mansour' }, deps.clock());
  const paths = {} as Record<StoryLanguage, string>;
  for (const language of Object.keys(STORIES) as StoryLanguage[]) {
    const s = STORIES[language];
    const article = await createArticle(
      deps,
      buildArticleInput({
        sectionId: world.id,
        headline: s.headline,
        standfirst: s.body,
        body: paragraphs(s.body, s.body),
        language,
        authorIds: [reporter.id, local.id],
        tagIds,
      }),
    );
    paths[language] = `/${world.slug}/${article.slug}`;
  }
  return paths;
}
