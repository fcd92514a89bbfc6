import { createArticle } from '../domain/articles/article-service.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { markdownToDocument } from '../domain/documents/document-markdown.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry } from '../domain/live/live-entry-service.ts';

const MINUTE = 60_000;

/** The demo's live blog: one story with live coverage and a few entries (one pinned, two key events). */
const ENTRIES: ReadonlyArray<{ minutesAgo: number; text: string; keyEvent?: boolean; pinned?: boolean }> = [
  {
    minutesAgo: 118,
    text: 'Good morning. Storm Ilse is expected to reach the coast within the next two hours. We will bring you updates as they come in.',
  },
  {
    minutesAgo: 95,
    text: 'The national weather service has raised its warning to **red** for the whole northern coast. Residents are asked to stay indoors.',
    keyEvent: true,
  },
  {
    minutesAgo: 70,
    text: '> We have 400 people at evacuation centres and buses are still running.\n> — Mayor Ana Ruiz',
  },
  {
    minutesAgo: 42,
    text: 'The storm made landfall near the harbour at 09:12 local time, with gusts measured at 150 km/h.',
    keyEvent: true,
  },
  {
    minutesAgo: 15,
    text: '**What we know so far:** the storm has made landfall, power is out in parts of the east, and the coastal road is closed. Schools are shut for the day.',
    pinned: true,
  },
];

/** Adds the demo live blog to `sectionId`; returns the story id. */
export async function addDemoLiveBlog(
  deps: ServiceDeps,
  sectionId: string,
  authorIds: string[],
  heroImageId: string | null,
): Promise<string> {
  const now = deps.clock().getTime();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE);
  const startedAt = at(210);
  const story = await createArticle(
    deps,
    {
      headline: 'Storm Ilse reaches the coast: live updates',
      standfirst: 'Red warning in the north as the storm makes landfall; power cuts and road closures.',
      sectionId,
      authorIds,
      heroImageId,
      body: markdownToDocument('Follow our live coverage of Storm Ilse as it crosses the northern coast.'),
      status: 'published',
      publishedAt: startedAt.toISOString(),
    },
    { history: { createdAt: at(215), modifiedAt: startedAt } },
  );
  await setLiveCoverage({ ...deps, clock: () => startedAt }, null, story.id, { live: true, startAt: startedAt.toISOString() });
  for (const entry of ENTRIES) {
    const clock = () => at(entry.minutesAgo);
    await createLiveEntry({ ...deps, clock }, null, story.id, {
      body: markdownToDocument(entry.text),
      authorIds: authorIds.slice(0, 1),
      keyEvent: entry.keyEvent ?? false,
      pinned: entry.pinned ?? false,
      publish: true,
    });
  }
  return story.id;
}
