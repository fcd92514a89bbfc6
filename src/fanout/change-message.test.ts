import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChange, encodeChange, encodeChangeInParts } from './change-message.ts';

describe('change messages between nodes', () => {
  it('round-trips a change and a clear, and refuses what is not one of ours', () => {
    assert.deepEqual(decodeChange(encodeChange('n1', { tags: ['story:1', 'chrome'], cause: 'story.save' })), {
      nodeId: 'n1',
      change: { tags: ['story:1', 'chrome'], cause: 'story.save' },
    });
    assert.deepEqual(decodeChange(encodeChange('n1', { tags: [], cause: 'demo.load', clear: true })), {
      nodeId: 'n1',
      change: { tags: [], cause: 'demo.load', clear: true },
    });
    for (const text of ['', 'not json', '{}', '{"n":"x","c":"y","t":[1]}', 'null']) assert.equal(decodeChange(text), null, text);
  });

  it('carries the live stories whose entries changed, whole, split or cleared', () => {
    const change = { tags: ['story:1'], cause: 'live.entry.publish', liveStories: ['1'] };
    assert.deepEqual(decodeChange(encodeChange('n1', change))?.change, change);
    const tags = Array.from({ length: 500 }, (_, i) => `story:0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const parts = encodeChangeInParts('n1', { tags, cause: 'live.entry.publish', liveStories: ['1'] }, 7900, 16).map(
      (p) => decodeChange(p)!.change,
    );
    assert.deepEqual(parts[0]!.liveStories, ['1']);
    const cleared = encodeChangeInParts(
      'n1',
      { tags: [...tags, ...tags, ...tags, ...tags, ...tags, ...tags], cause: 'x', liveStories: ['1'] },
      7900,
      2,
    );
    assert.deepEqual(decodeChange(cleared[0]!)?.change, { tags: [], cause: 'x', clear: true, liveStories: ['1'] });
  });

  it('splits a long tag list into payloads under the limit, each a change, losing no tag', () => {
    const tags = Array.from({ length: 500 }, (_, i) => `story:0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const parts = encodeChangeInParts('node', { tags, cause: 'tag.rename' }, 7900, 16);
    assert.ok(parts.length > 1);
    for (const p of parts) assert.ok(Buffer.byteLength(p) <= 7900);
    const decoded = parts.map((p) => decodeChange(p)!);
    assert.deepEqual(
      decoded.flatMap((d) => d.change.tags),
      tags,
    );
    assert.ok(decoded.every((d) => d.change.cause === 'tag.rename' && !d.change.clear));
  });

  it('sends a clear instead of too many parts', () => {
    const tags = Array.from({ length: 5000 }, (_, i) => `story:${i}-0190a000-0000-7000-8000-000000000000`);
    const parts = encodeChangeInParts('node', { tags, cause: 'section.update' }, 7900, 16);
    assert.deepEqual(
      parts.map((p) => decodeChange(p)!.change),
      [{ tags: [], cause: 'section.update', clear: true }],
    );
  });
});
