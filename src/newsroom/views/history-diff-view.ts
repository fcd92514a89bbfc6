import type { RevisionComparison } from '../../domain/desk/article-compare.ts';
import type { FieldDiff } from '../../domain/articles/article-revisions.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { actionLabel, timeUtc, workflowScript } from './workflow-labels.ts';

/*
 * A readable diff. Insertions are <ins> and deletions <del> (underlined and struck through,
 * not only coloured), and each carries hidden words ("added:", "removed:") for screen readers,
 * which do not announce <ins>/<del> by default. Body lines also show a visible + or − sign.
 */

type Part = FieldDiff['parts'][number];

/** Runs of unchanged body lines longer than this are folded to their first and last lines. */
const CONTEXT = 2;

function inline(parts: readonly Part[]): SafeHtml[] {
  return parts.map((p) =>
    p.added
      ? html`<ins><span class="nr-visually-hidden">[added: </span>${p.value}<span class="nr-visually-hidden">]</span></ins>`
      : p.removed
        ? html`<del><span class="nr-visually-hidden">[removed: </span>${p.value}<span class="nr-visually-hidden">]</span></del>`
        : html`${p.value}`,
  );
}

function lines(value: string): string[] {
  return value.replace(/\n$/, '').split('\n');
}

function bodyDiff(parts: readonly Part[]): SafeHtml {
  const rows: SafeHtml[] = [];
  parts.forEach((p, i) => {
    const ls = lines(p.value);
    if (p.added || p.removed) {
      for (const l of ls) {
        rows.push(
          html`<li class="nr-diff__line nr-diff__line--${p.added ? 'added' : 'removed'}"><span class="nr-diff__sign" aria-hidden="true">${p.added ? '+' : '−'}</span>${p.added ? html`<ins><span class="nr-visually-hidden">Added: </span>${l}</ins>` : html`<del><span class="nr-visually-hidden">Removed: </span>${l}</del>`}</li>`,
        );
      }
      return;
    }
    // Unchanged text: keep a little context next to changes, fold the rest.
    const keepHead = i > 0 ? CONTEXT : 0;
    const keepTail = i < parts.length - 1 ? CONTEXT : 0;
    const shown = ls.length > keepHead + keepTail + 1 ? [...ls.slice(0, keepHead), null, ...ls.slice(ls.length - keepTail)] : ls;
    const folded = ls.length - (shown.length - 1);
    for (const l of shown) {
      rows.push(
        l === null
          ? html`<li class="nr-diff__line nr-diff__line--folded">… ${folded} unchanged ${folded === 1 ? 'paragraph' : 'paragraphs'} …</li>`
          : html`<li class="nr-diff__line"><span class="nr-diff__sign" aria-hidden="true"> </span>${l}</li>`,
      );
    }
  });
  return html`<ol class="nr-diff nr-diff--body">${rows}</ol>`;
}

const FIELD_LABELS: Record<FieldDiff['field'], string> = { headline: 'Headline', standfirst: 'Standfirst', body: 'Body text' };

function textField(f: FieldDiff): SafeHtml {
  const id = `diff-${f.field}`;
  return html`<section class="nr-card" aria-labelledby="${id}"><h2 id="${id}">${FIELD_LABELS[f.field]}</h2>
${
  !f.changed
    ? html`<p class="nr-muted">Unchanged.</p>`
    : f.field === 'body'
      ? bodyDiff(f.parts)
      : html`<p class="nr-diff nr-diff--inline">${inline(f.parts)}</p>`
}
</section>`;
}

/**
 * The other fields that changed (a table) and the text diffs: shared by the history's
 * comparison and the review of a pending change to a live story.
 */
export function comparisonSections(c: Pick<RevisionComparison, 'fieldChanges' | 'diff'>, fromLabel: string, toLabel: string): SafeHtml {
  return html`<section class="nr-card" aria-labelledby="diff-fields"><h2 id="diff-fields">Other fields</h2>
${
  c.fieldChanges.length
    ? html`<div class="nr-table-wrap"><table class="nr-table"><thead><tr><th scope="col">Field</th><th scope="col">${fromLabel}</th><th scope="col">${toLabel}</th></tr></thead>
<tbody>${c.fieldChanges.map((f) => html`<tr><th scope="row">${f.label}</th><td><del><span class="nr-visually-hidden">Before: </span>${f.before}</del></td><td><ins><span class="nr-visually-hidden">After: </span>${f.after}</ins></td></tr>`)}</tbody></table></div>`
    : html`<p class="nr-muted">No other field changed.</p>`
}
</section>
${c.diff.fields.map(textField)}`;
}

/** Two revisions side by side: other field changes as a table, then the text diffs. */
export function historyDiffView(chrome: NewsroomChrome, c: RevisionComparison): SafeHtml {
  const a = c.article;
  const who = (r: RevisionComparison['from']) => r.actorName ?? (r.actorUserId === null ? 'Scheduler' : 'Former account');
  return newsroomLayout(chrome, {
    title: `Changes ${c.from.revision} → ${c.to.revision}: ${a.headline}`,
    current: 'stories',
    body: html`<p class="nr-crumbs"><a href="/newsroom/stories/${a.id}/history">Back to the history</a></p>
<h1>Changes from revision ${c.from.revision} to ${c.to.revision}</h1>
<p class="nr-lead">${a.headline}</p>
<dl class="nr-facts">
<dt>Revision ${c.from.revision}</dt><dd>${actionLabel(c.from.action)} by ${who(c.from)}, ${timeUtc(c.from.at)}</dd>
<dt>Revision ${c.to.revision}</dt><dd>${actionLabel(c.to.action)} by ${who(c.to)}, ${timeUtc(c.to.at)}</dd>
</dl>
<p class="nr-hint">Added text is underlined and marked “added”; removed text is struck through and marked “removed”.</p>
${comparisonSections(c, `Revision ${c.from.revision}`, `Revision ${c.to.revision}`)}
${workflowScript()}`,
  });
}
