import type { Db } from '../../db/database.ts';
import { allPins, type Arrangement } from '../fronts/front-arrangement.ts';
import { listPublishedTeasers, listTeasersByIds, type Teaser } from './article-teasers.ts';
import type { EditionScope } from '../editions/edition.ts';

/*
 * A front as readers see it under an editor's arrangement. Pinned stories come first in each
 * block, in the editor's order, but only those readers may see now (the one visibility rule,
 * applied by the teaser query): an unpublished or embargoed pin leaves the front on the next
 * render, which the story's own change event causes (the page carries every pin's tag). The
 * rest of each block is filled by the front's usual rules, and no story appears twice.
 */

export interface ArrangedBlock {
  title: string;
  items: Teaser[];
}

export interface ArrangedFront {
  /** The arrangement version in force. */
  version: number;
  lead: Teaser | null;
  top: Teaser[];
  blocks: ArrangedBlock[];
  /** Every pinned story, visible or not: the page is tagged with each, so any change to one re-renders it. */
  pinnedIds: string[];
  /** Every story the arrangement shows. */
  shownIds: string[];
}

/** Resolves `arrangement` at `nowIso`; `sectionId` and `edition` scope the automatic fill (null, {}: the whole site). */
export async function arrangeFront(
  db: Db,
  arrangement: Arrangement,
  version: number,
  sectionId: string | null,
  nowIso: string,
  edition: EditionScope = {},
): Promise<ArrangedFront> {
  const pinnedIds = allPins(arrangement);
  const visible = await listTeasersByIds(db, pinnedIds, nowIso);
  const shown = new Set<string>();
  const take = (ids: readonly string[], max: number): Teaser[] => {
    const out: Teaser[] = [];
    for (const id of ids) {
      const t = visible.get(id);
      if (!t || shown.has(id) || out.length >= max) continue;
      shown.add(id);
      out.push(t);
    }
    return out;
  };
  const [leadPin] = take(arrangement.lead.pins, 1);
  const topPins = take(arrangement.top.pins, arrangement.top.size);
  const blockPins = arrangement.blocks.map((b) => take(b.pins, b.size));

  // Lead and top stories are filled from the front's own list (newest visible first), past every pin.
  const need = (leadPin ? 0 : 1) + arrangement.top.size - topPins.length;
  const filled = need
    ? (await listPublishedTeasers(db, { edition, ...(sectionId ? { sectionId } : {}), excludeIds: [...shown] }, { limit: need }, nowIso))
        .items
    : [];
  for (const t of filled) shown.add(t.id);
  const lead = leadPin ?? filled.shift() ?? null;
  const top = [...topPins, ...filled];

  // Named blocks, in order, each past everything shown before it.
  const blocks: ArrangedBlock[] = [];
  for (const [i, b] of arrangement.blocks.entries()) {
    const items = [...blockPins[i]!];
    const room = b.size - items.length;
    if (b.tagId && room > 0) {
      const more = (await listPublishedTeasers(db, { edition, tagId: b.tagId, excludeIds: [...shown] }, { limit: room }, nowIso)).items;
      for (const t of more) shown.add(t.id);
      items.push(...more);
    }
    blocks.push({ title: b.title, items });
  }
  return { version, lead, top, blocks, pinnedIds, shownIds: [...shown] };
}
