import type { ServiceDeps } from '../deps.ts';
import { DomainError } from '../errors.ts';
import { writeSiteStory } from './site-import-writer.ts';
import type { ImportLine, SiteImportOptions, SiteStory } from './site-story.ts';

export interface SiteImportSummary {
  stories: { created: number; updated: number; unchanged: number; rejected: number; skipped: number };
  /** Lines that were not ok (rejected stories, missing images, skipped comments). */
  problems: number;
}

/**
 * Writes the stories one by one, each in its own transaction: a story that is refused is
 * reported (and leaves nothing) while the others go on. An error that is not a refusal (a
 * bug, a lost database) stops the run, since every later story would meet it too.
 */
export async function runSiteImport(
  deps: ServiceDeps,
  stories: readonly SiteStory[],
  options: SiteImportOptions & { onLine?: (line: ImportLine) => void },
  skipped = 0,
): Promise<SiteImportSummary> {
  const summary: SiteImportSummary = { stories: { created: 0, updated: 0, unchanged: 0, rejected: 0, skipped }, problems: 0 };
  for (const story of stories) {
    let lines: ImportLine[];
    try {
      lines = await writeSiteStory(deps, story, options);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      lines = [{ kind: 'story', ok: false, status: 'rejected', source: story.key, id: null, headline: story.title, error: err.message }];
    }
    const head = lines[0]!;
    if (head.status === 'created' || head.status === 'updated' || head.status === 'unchanged' || head.status === 'rejected')
      summary.stories[head.status] += 1;
    for (const line of lines) {
      if (!line.ok) summary.problems += 1;
      options.onLine?.(line);
    }
  }
  return summary;
}
