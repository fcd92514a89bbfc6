import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml } from '../../../http/html.ts';
import { messagesFor } from '../../../render/i18n/messages.ts';
import { shareLinks } from './share-bar.ts';

test('share addresses are the percent-encoded page and title, escaped as any attribute value', () => {
  const url = "https://news.example.com/world/it's-a-story?x=1&y=<2>";
  const title = `Quotes "and" it's <b>bold</b> & more — ✓`;
  const markup = shareLinks(messagesFor('en'), url, title).value;
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  for (const href of [
    `mailto:?subject=${t}&body=${u}`,
    `https://x.com/intent/post?url=${u}&text=${t}`,
    `https://www.facebook.com/sharer/sharer.php?u=${u}`,
    `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
    `https://wa.me/?text=${t}%20${u}`,
    `https://t.me/share/url?url=${u}&text=${t}`,
  ])
    assert.ok(markup.includes(` href="${escapeHtml(href)}"`), href);
  assert.doesNotMatch(markup, /href="[^"]*'/);
});
