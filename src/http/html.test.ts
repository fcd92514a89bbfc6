import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, join, SafeHtml, trusted } from './html.ts';

const HOSTILE = [`<script>alert(1)</script>`, `"onerror="alert(1)`, `' onmouseover='x`, `</title><svg onload=alert(1)>`, `&lt;already&gt;`];

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves plain text alone', () => {
    assert.equal(escapeHtml('Plain text, ünïcode — fine.'), 'Plain text, ünïcode — fine.');
  });

  it('escapes every call, even right after a previous match (no regex lastIndex carry-over)', () => {
    // A global regex's .test() is stateful; a second hostile string must not slip through.
    for (let i = 0; i < 5; i++) {
      assert.equal(escapeHtml('x<y'), 'x&lt;y');
      assert.equal(escapeHtml('<'), '&lt;');
      assert.equal(escapeHtml('"'), '&quot;');
    }
  });
});

describe('html template', () => {
  it('escapes interpolated strings in text and attribute positions', () => {
    for (const s of HOSTILE) {
      const out = html`<p title="${s}">${s}</p>`.value;
      assert.ok(!out.includes('<script'), out);
      assert.ok(!out.includes('<svg'), out);
      assert.ok(!/title="[^"]*"[^>]*on\w+=/.test(out), `attribute broke out: ${out}`);
      assert.equal(out, `<p title="${escapeHtml(s)}">${escapeHtml(s)}</p>`);
    }
  });

  it('double-escapes already-escaped text rather than trusting it', () => {
    assert.equal(html`${'&lt;b&gt;'}`.value, '&amp;lt;b&amp;gt;');
  });

  it('inserts SafeHtml fragments as markup and escapes strings inside arrays', () => {
    const inner = html`<em>${'<i>'}</em>`;
    assert.ok(inner instanceof SafeHtml);
    assert.equal(html`<p>${inner}</p>`.value, '<p><em>&lt;i&gt;</em></p>');
    assert.equal(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('renders numbers, and nothing for null, undefined and false', () => {
    assert.equal(html`${1}|${null}|${undefined}|${false}|${0}`.value, '1||||0');
  });

  it('join concatenates and escapes strings; trusted marks constants as markup', () => {
    assert.equal(join(['<b>', trusted('<br>')]).value, '&lt;b&gt;<br>');
  });
});
