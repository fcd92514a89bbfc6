import { z } from 'zod';

/*
 * An editor's arrangement of a front: a lead slot, a top-stories block and named blocks
 * ("Ukraine war"), each with pinned stories in order and a size. What the pins leave empty is
 * filled by the front's own rules (newest visible stories of the front; a named block by its
 * tag, when it has one). Pure: no database here.
 */

/**
 * `home`, or `section:<section id>`: the default edition's fronts (keys from before editions,
 * unchanged). Another language edition's fronts add `@<its language>` (`home@fr`), the
 * language its scope lists stories by, so each edition's home and sections are arranged apart.
 */
export type FrontKey = 'home' | `section:${string}` | `home@${string}` | `section:${string}@${string}`;

export const HOME_FRONT: FrontKey = 'home';

/** The key of a front: home (`sectionId` null) or a section's, of the edition listing `language` (none: the default edition). */
export function frontKeyFor(sectionId: string | null, language?: string): FrontKey {
  const suffix = language ? `@${language.toLowerCase()}` : '';
  return sectionId === null ? (`home${suffix}` as FrontKey) : (`section:${sectionId}${suffix}` as FrontKey);
}

export const sectionFrontKey = (sectionId: string, language?: string): FrontKey => frontKeyFor(sectionId, language);
/** The section a front key names, or null for a home front. */
export const sectionIdOf = (key: FrontKey): string | null =>
  key.startsWith('section:') ? key.slice('section:'.length).split('@')[0]! : null;

export const ARRANGEMENT_STATES = ['draft', 'published', 'cancelled'] as const;
export type ArrangementState = (typeof ARRANGEMENT_STATES)[number];

const MAX_TOP = 20;
const MAX_BLOCK = 12;
const MAX_BLOCKS = 10;
export const DEFAULT_TOP_SIZE = 8;
export const DEFAULT_BLOCK_SIZE = 4;

const storyId = z.string().trim().min(1).max(64);
const pins = (max: number) => z.array(storyId).max(max, `pin at most ${max} stories`).default([]);

/** The arrangement itself, as stored, sent by the Admin API and built from the newsroom's form. */
export const arrangementSchema = z
  .strictObject({
    lead: z
      .strictObject({ pins: pins(1) })
      .default({ pins: [] })
      .meta({ description: 'The lead slot: at most one pinned story; empty means the newest' }),
    top: z
      .strictObject({
        size: z
          .number({ error: 'enter a whole number' })
          .int('enter a whole number')
          .min(1, 'use 1 or more')
          .max(MAX_TOP, `use at most ${MAX_TOP}`)
          .default(DEFAULT_TOP_SIZE),
        pins: pins(MAX_TOP),
      })
      .default({ size: DEFAULT_TOP_SIZE, pins: [] })
      .meta({ description: 'Top stories: pinned stories first, then the newest others up to `size`' }),
    blocks: z
      .array(
        z.strictObject({
          title: z.string().trim().min(1, 'give the block a title').max(80, 'use at most 80 characters'),
          size: z
            .number({ error: 'enter a whole number' })
            .int('enter a whole number')
            .min(1, 'use 1 or more')
            .max(MAX_BLOCK, `use at most ${MAX_BLOCK}`)
            .default(DEFAULT_BLOCK_SIZE),
          pins: pins(MAX_BLOCK),
          tagId: storyId.nullable().default(null).meta({ description: 'Fill the rest of the block with this tag’s newest stories' }),
        }),
      )
      .max(MAX_BLOCKS, `use at most ${MAX_BLOCKS} named blocks`)
      .default([]),
  })
  .superRefine((a, ctx) => {
    if (a.top.pins.length > a.top.size)
      ctx.addIssue({ code: 'custom', path: ['top', 'pins'], message: 'more pinned stories than the block shows' });
    a.blocks.forEach((b, i) => {
      if (b.pins.length > b.size)
        ctx.addIssue({ code: 'custom', path: ['blocks', i, 'pins'], message: 'more pinned stories than the block shows' });
    });
    const seen = new Set<string>();
    for (const id of allPins(a)) {
      // One story in one place: a front never shows a story twice.
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['pins'], message: `story ${id} is pinned more than once` });
      seen.add(id);
    }
  });

export type Arrangement = z.output<typeof arrangementSchema>;
export type ArrangementInput = z.input<typeof arrangementSchema>;

/** A front with nothing pinned: the same stories the front shows without an arrangement. */
export function emptyArrangement(): Arrangement {
  return { lead: { pins: [] }, top: { size: DEFAULT_TOP_SIZE, pins: [] }, blocks: [] };
}

/** Every pinned story id, lead first, in block order. */
export function allPins(a: Pick<Arrangement, 'lead' | 'top' | 'blocks'>): string[] {
  return [...a.lead.pins, ...a.top.pins, ...a.blocks.flatMap((b) => b.pins)];
}

/** One stored version of a front's arrangement. */
export interface ArrangementVersion {
  id: string;
  frontKey: FrontKey;
  version: number;
  state: ArrangementState;
  /** Published versions: when it takes (or took) over the front. */
  effectiveAt: string | null;
  arrangement: Arrangement;
  createdAt: string;
  createdBy: string | null;
  restoredFrom: number | null;
}

/**
 * The version in force at `nowIso` among published versions: the latest effective time not
 * after now (a later version number breaks a tie). Null when none has taken over yet.
 */
export function versionInForce(published: readonly ArrangementVersion[], nowIso: string): ArrangementVersion | null {
  let best: ArrangementVersion | null = null;
  for (const v of published) {
    if (v.state !== 'published' || v.effectiveAt === null || v.effectiveAt > nowIso) continue;
    if (!best || v.effectiveAt > best.effectiveAt! || (v.effectiveAt === best.effectiveAt && v.version > best.version)) best = v;
  }
  return best;
}
