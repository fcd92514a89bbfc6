import fs from 'node:fs';
import path from 'node:path';
import { createArticle } from '../domain/articles/article-service.ts';
import { createAuthor, type Author } from '../domain/authors/author.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { clearEverything } from '../domain/changes/content-change.ts';
import { publishNow } from '../domain/changes/content-change-publish.ts';
import { addDemoLiveBlog } from './demo-live-blog.ts';
import { addDemoEditions, addDemoTranslations } from './demo-editions.ts';
import { markdownToDocument } from '../domain/documents/document-markdown.ts';
import { ingestImage } from '../domain/media/image-ingest.ts';
import { createSection, type Section } from '../domain/sections/section.ts';
import { ensureTags } from '../domain/tags/tag.ts';
import { DEMO_CONTENT_DIR } from '../paths.ts';
import { makeDemoJpeg } from './demo-images.ts';
import { DEMO_AUTHORS, DEMO_SECTIONS, generateStory } from './story-generator.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const DEMO_GENERATED_STORIES = 40;

function markdown(file: string) {
  return markdownToDocument(fs.readFileSync(path.join(DEMO_CONTENT_DIR, file), 'utf8'));
}

/** The seed article exactly as the reader saw it: headline, standfirst, photo, byline, body. */
export const SEED_ARTICLE = {
  headline: 'Russia executing soldiers not following orders, says US',
  standfirst: 'Moscow has reportedly struggled to enforce military discipline in Ukraine.',
  bodyFile: 'seed-article.md',
  tags: ['Russia', 'War in Ukraine', 'United States', 'Military'],
  image: {
    caption: 'Russian military conscripts line up at a conscription point in Moscow, Friday, Nov. 26, 2010.',
    altText: 'Russian military conscripts line up at a conscription point in Moscow, Friday, Nov. 26, 2010.',
    credit: 'Mikhail Metzel/AP',
    creator: 'Mikhail Metzel',
    copyrightNotice: 'Copyright 2010 The Associated Press. All rights reserved.',
  },
} as const;

/** The three stories the seed page offered under "You might also like". */
export const SEED_RELATED = [
  {
    headline: 'Russia school shooting: 14-year-old girl kills a friend before committing suicide',
    standfirst: 'A pupil opened fire on classmates at a school in Bryansk before turning the gun on herself, investigators said.',
    bodyFile: 'related-school-shooting.md',
    tags: ['Russia', 'Crime'],
    hoursAgo: 30,
  },
  {
    headline: "Insecure and isolated: The 'illegal' life of Russia's LGBT citizens",
    standfirst: 'After a Supreme Court ruling branded the LGBT movement extremist, gay and transgender Russians describe life in hiding.',
    bodyFile: 'related-lgbt-life.md',
    tags: ['Russia', 'LGBTQ+ rights', 'Human rights'],
    hoursAgo: 54,
  },
  {
    headline: "Police raid Moscow gay bars after a Supreme Court ruling labelled LGBTQ+ movement 'extremist'",
    standfirst:
      'Officers searched clubs and bars across the Russian capital days after the country’s top court banned the “international LGBT movement”.',
    bodyFile: 'related-moscow-raids.md',
    tags: ['Russia', 'LGBTQ+ rights', 'Human rights'],
    hoursAgo: 78,
  },
] as const;

/**
 * Fills an empty database with the demo site: sections, authors, the seed article with its
 * related stories, and generated stories across every section. Returns null when the
 * database already has content.
 */
export async function loadDemoContentIfEmpty(deps: ServiceDeps, generated = DEMO_GENERATED_STORIES): Promise<{ articles: number } | null> {
  const existing = await deps.db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const now = deps.clock();
  const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
  // Each story is recorded as written before it was published and last changed when it was
  // published (or updated), not as created now: exports and APIs show these times.
  const history = (publishedAt: string, writtenMinutesBefore: number, updatedAt?: string) => ({
    history: {
      createdAt: new Date(Date.parse(publishedAt) - writtenMinutesBefore * MINUTE),
      modifiedAt: new Date(updatedAt ?? publishedAt),
    },
  });

  const sections = new Map<string, Section>();
  for (const [position, def] of DEMO_SECTIONS.entries()) sections.set(def.slug, await createSection(deps.db, { ...def, position }, now));
  const authors: Author[] = [];
  for (const def of DEMO_AUTHORS) authors.push(await createAuthor(deps.db, def, now));
  const world = sections.get('world')!;
  const imageDeps = { db: deps.db, mediaStore: deps.mediaStore, now };

  // A few shared stand-in photos keep first start quick.
  const stockImages = [];
  for (let i = 0; i < 6; i++) {
    stockImages.push(
      await ingestImage(imageDeps, await makeDemoJpeg(100 + i), {
        altText: 'Illustration: an abstract landscape with people in the distance',
        caption: 'Illustrative image.',
        credit: 'Masthead demo',
      }),
    );
  }

  let count = 0;
  for (const [i, rel] of SEED_RELATED.entries()) {
    const publishedAt = at(rel.hoursAgo * HOUR);
    await createArticle(
      deps,
      {
        headline: rel.headline,
        standfirst: rel.standfirst,
        sectionId: world.id,
        authorIds: [authors[i % 2 === 0 ? 0 : 1]!.id],
        tagIds: (await ensureTags(deps.db, rel.tags, now)).map((t) => t.id),
        heroImageId: stockImages[i]!.id,
        body: markdown(rel.bodyFile),
        status: 'published',
        publishedAt,
      },
      history(publishedAt, 40 + 15 * i),
    );
    count++;
  }

  for (let n = 0; n < generated; n++) {
    const story = generateStory(1, n);
    const section = sections.get(story.sectionSlug)!;
    // Generated stories fill the past three weeks, all older than the seed article.
    const publishedAt = at(4 * HOUR + story.age * 21 * 24 * HOUR);
    await createArticle(
      deps,
      {
        headline: story.headline,
        standfirst: story.standfirst,
        sectionId: section.id,
        authorIds: [authors[story.authorIndex]!.id],
        tagIds: (await ensureTags(deps.db, story.tags, now)).map((t) => t.id),
        heroImageId: stockImages[n % stockImages.length]!.id,
        body: story.body,
        status: 'published',
        publishedAt,
      },
      history(publishedAt, 20 + (n % 6) * 10),
    );
    count++;
  }

  const hero = await ingestImage(imageDeps, await makeDemoJpeg(2010, 1600, 900), SEED_ARTICLE.image);
  const seedPublishedAt = at(3 * HOUR);
  const seedUpdatedAt = at(1 * HOUR);
  const seed = await createArticle(
    deps,
    {
      headline: SEED_ARTICLE.headline,
      standfirst: SEED_ARTICLE.standfirst,
      sectionId: world.id,
      authorIds: [authors[0]!.id],
      tagIds: (await ensureTags(deps.db, SEED_ARTICLE.tags, now)).map((t) => t.id),
      heroImageId: hero.id,
      body: markdown(SEED_ARTICLE.bodyFile),
      status: 'published',
      publishedAt: seedPublishedAt,
      updatedAt: seedUpdatedAt,
    },
    history(seedPublishedAt, 55, seedUpdatedAt),
  );
  count++;
  // English, French (/fr/) and Arabic (/ar/) editions; the seed story translated into both.
  const editionIds = await addDemoEditions(deps, sections);
  count += await addDemoTranslations(deps, editionIds, seed, at(2 * HOUR));
  await addDemoLiveBlog(deps, world.id, [authors[1]!.id], stockImages[5]!.id);
  count++;
  // The stories' related lists are deferred work: done before the site is served.
  await deps.deferredWork.drain();
  // Sections, authors and images were written beside the story path: whatever a cache holds
  // of the empty site (its navigation, empty fronts) is wrong now.
  await publishNow(deps, clearEverything('demo.load'));
  return { articles: count };
}
