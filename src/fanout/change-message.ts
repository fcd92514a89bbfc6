import type { ContentChange } from '../domain/changes/content-change.ts';

/*
 * How a change travels between nodes: compact JSON naming the node that made it, so a node
 * ignores its own messages (Redis and PostgreSQL both deliver a publisher its own).
 */

interface ChangeMessage {
  /** Sending node. */
  n: string;
  /** Cause. */
  c: string;
  /** Tags. */
  t: string[];
  /** Present (1) for a clear. */
  x?: 1;
  /** Live blogs with new entries (ContentChange.liveStories), when there are any. */
  l?: string[];
}

/** The message text for a change made by `nodeId`. */
export function encodeChange(nodeId: string, change: ContentChange): string {
  const message: ChangeMessage = {
    n: nodeId,
    c: change.cause,
    t: [...change.tags],
    ...(change.clear ? { x: 1 as const } : {}),
    ...(change.liveStories?.length ? { l: [...change.liveStories] } : {}),
  };
  return JSON.stringify(message);
}

/** The change in a message and who sent it, or null for anything that is not one of ours. */
export function decodeChange(text: string): { nodeId: string; change: ContentChange } | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  const { n, c, t, x, l } = (m ?? {}) as Partial<Record<keyof ChangeMessage, unknown>>;
  if (typeof n !== 'string' || typeof c !== 'string' || !Array.isArray(t) || !t.every((tag) => typeof tag === 'string')) return null;
  const live = Array.isArray(l) && l.length && l.every((id) => typeof id === 'string') ? { liveStories: l as string[] } : {};
  return { nodeId: n, change: x === 1 ? { tags: [], cause: c, clear: true, ...live } : { tags: t as string[], cause: c, ...live } };
}

/**
 * The messages for a change when one message may hold at most `maxBytes` (PostgreSQL's NOTIFY
 * payload must stay under 8000 bytes): the tags split over several messages, each a change of
 * its own (purging is a union, so the split loses nothing). Past `maxMessages` the change is
 * sent as one clear instead: dropping everything once is cheaper than a storm of purges.
 */
export function encodeChangeInParts(nodeId: string, change: ContentChange, maxBytes: number, maxMessages: number): string[] {
  const whole = encodeChange(nodeId, change);
  if (Buffer.byteLength(whole) <= maxBytes) return [whole];
  const live = change.liveStories?.length ? { liveStories: change.liveStories } : {};
  const clear = [encodeChange(nodeId, { tags: [], cause: change.cause, clear: true, ...live })];
  const base = Buffer.byteLength(encodeChange(nodeId, { tags: [], cause: change.cause, ...live }));
  const parts: string[] = [];
  let tags: string[] = [];
  let size = base;
  for (const tag of change.tags) {
    // A tag costs its JSON string and a comma.
    const cost = Buffer.byteLength(JSON.stringify(tag)) + 1;
    if (base + cost > maxBytes) return clear;
    if (size + cost > maxBytes) {
      // The first part carries the live stories (its base size counted them).
      parts.push(encodeChange(nodeId, { tags, cause: change.cause, ...(parts.length ? {} : live) }));
      tags = [];
      size = base;
    }
    tags.push(tag);
    size += cost;
  }
  if (tags.length) parts.push(encodeChange(nodeId, { tags, cause: change.cause, ...(parts.length ? {} : live) }));
  return parts.length > maxMessages ? clear : parts;
}
