import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { ArticleInput } from '../../src/domain/articles/article-schemas.ts';
import { createAuthor, type Author } from '../../src/domain/authors/author.ts';
import type { ServiceDeps } from '../../src/domain/deps.ts';
import type { ArticleDocument } from '../../src/domain/documents/document-schema.ts';
import { createDeferredWork, type DeferredWorkLogger } from '../../src/domain/changes/deferred-work.ts';
import { createLocalMediaStore } from '../../src/domain/media/media-store.ts';
import { createSection, type Section } from '../../src/domain/sections/section.ts';
import { ensureTags, type Tag } from '../../src/domain/tags/tag.ts';
import { drainBeforeDestroy } from './test-db.ts';

/** The fixed "now" of storage tests; published dates are set relative to it. */
export const FIXED_NOW = new Date('2026-11-25T12:00:00.000Z');

/** An ISO time `hours` before FIXED_NOW. */
export function hoursAgo(hours: number): string {
  return new Date(FIXED_NOW.getTime() - hours * 3_600_000).toISOString();
}

export interface TestServiceDeps extends ServiceDeps {
  mediaDir: string;
  /** Removes the media folder (the database is destroyed by its own TestDatabase). */
  cleanup(): void;
}

/**
 * Service deps over a test database: a fixed clock and a private media folder. Deferred work
 * (the related lists) runs as in production, after the write returns: a test reading what it
 * writes awaits `deps.deferredWork.drain()`; the database's destroy() drains it too. Its
 * failures go to `options.logger` (the console when unset).
 */
export function serviceDepsFor(handle: DatabaseHandle, options: { clock?: () => Date; logger?: DeferredWorkLogger } = {}): TestServiceDeps {
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-test-media-'));
  const deferredWork = createDeferredWork({
    log: () => options.logger ?? { error: (obj: object, msg: string) => console.error(msg, obj) },
  });
  drainBeforeDestroy(handle, deferredWork);
  return {
    db: handle.db,
    dialect: handle.dialect,
    clock: options.clock ?? (() => FIXED_NOW),
    mediaStore: createLocalMediaStore(mediaDir),
    deferredWork,
    mediaDir,
    cleanup: () => fs.rmSync(mediaDir, { recursive: true, force: true }),
  };
}

/** A one-paragraph-per-string document. */
export function paragraphs(...texts: string[]): ArticleDocument {
  return { version: 1, blocks: texts.map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })) };
}

export interface Taxonomy {
  world: Section;
  europe: Section;
  sport: Section;
  reporter: Author;
  editor: Author;
  tags: Record<'russia' | 'military' | 'football' | 'diplomacy', Tag>;
}

/** Sections, authors and tags most storage tests need. */
export async function seedTaxonomy(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<Taxonomy> {
  const now = deps.clock();
  const world = await createSection(deps.db, { name: 'World', position: 0 }, now);
  const europe = await createSection(deps.db, { name: 'Europe', position: 1 }, now);
  const sport = await createSection(deps.db, { name: 'Sport', position: 2 }, now);
  const reporter = await createAuthor(deps.db, { name: 'Sudesh Baniya', roleTitle: 'Reporter' }, now);
  const editor = await createAuthor(deps.db, { name: 'Amira Haddad' }, now);
  const [russia, military, football, diplomacy] = await ensureTags(deps.db, ['Russia', 'Military', 'Football', 'Diplomacy'], now);
  return {
    world,
    europe,
    sport,
    reporter,
    editor,
    tags: { russia: russia!, military: military!, football: football!, diplomacy: diplomacy! },
  };
}

/** A valid, published article input; override any field. */
export function buildArticleInput(overrides: Partial<ArticleInput> & { sectionId: string }): ArticleInput {
  return {
    headline: 'Russia executing soldiers not following orders, says US',
    standfirst: 'Moscow has reportedly struggled to enforce military discipline in Ukraine.',
    body: paragraphs('The US on Thursday accused Russia of executing soldiers who have failed to follow orders.'),
    status: 'published',
    publishedAt: hoursAgo(1),
    ...overrides,
  };
}
