import { html, type SafeHtml } from '../../http/html.ts';
import type { ArrangementVersion } from '../../domain/fronts/front-arrangement.ts';
import type { FrontDesk, FrontRef } from '../../domain/fronts/front-desk.ts';
import type { PickableStory } from '../../domain/fronts/front-story-picker.ts';
import type { FrontFormState } from '../front-form.ts';
import { formatUtc } from '../workflow-time.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

/** `/newsroom/fronts`: the fronts an editor may arrange. */
export function frontsListView(chrome: NewsroomChrome, fronts: FrontRef[]): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Fronts',
    current: 'fronts',
    body: html`<h1>Fronts</h1>
<p class="nr-lead">Choose the lead, the top stories and named blocks of the home front and each section front. What you do not pin is filled with the newest stories.</p>
<ul class="nr-front-list">${fronts.map((f) => html`<li><a class="nr-strong" href="/newsroom/fronts/${f.name}">${f.title}</a> <a class="nr-muted" href="${f.path}"><code>${f.path}</code></a></li>`)}</ul>`,
  });
}

export interface ArrangePageProps {
  desk: FrontDesk;
  state: FrontFormState;
  /** Every pinned story and every picker result, by id. */
  stories: Map<string, PickableStory>;
  tags: Array<{ id: string; name: string }>;
  csrfToken: string;
  q: string;
  results: PickableStory[] | null;
  target: string;
  error?: string;
  scriptSrc: string;
}

const slotLabel = (state: FrontFormState, slot: string) =>
  slot === 'lead'
    ? 'Lead'
    : slot === 'top'
      ? 'Top stories'
      : state.blocks[Number(slot.slice(1))]?.title || `Block ${Number(slot.slice(1)) + 1}`;

function storyFacts(s: PickableStory | undefined): SafeHtml {
  if (!s) return html`<span class="nr-pin__warn">deleted story: it will be dropped when you save</span>`;
  return html`${s.sectionName} · ${s.visible ? 'live' : html`<span class="nr-pin__warn">not on the site now (${s.status})</span>`}`;
}

/** One slot's pinned stories, reorderable by drag and drop or by its buttons. */
function pinList(p: ArrangePageProps, slot: string, pins: string[]): SafeHtml {
  const label = slotLabel(p.state, slot);
  return html`<ol class="nr-pins" data-slot="${slot}" data-label="${label}" aria-label="Pinned in ${label}">${pins.map((id, i) => {
    const s = p.stories.get(id);
    const title = s?.headline ?? id;
    return html`<li class="nr-pin" draggable="true" data-id="${id}"><input type="hidden" name="pins.${slot}" value="${id}"><span class="nr-pin__title">${title}</span> <span class="nr-pin__meta">${storyFacts(s)}</span>
<span class="nr-pin__actions"><button type="submit" class="nr-button nr-button--quiet nr-button--small" name="op" value="up:${slot}:${i}" data-move="up" aria-label="Move ${title} up">Up</button><button type="submit" class="nr-button nr-button--quiet nr-button--small" name="op" value="down:${slot}:${i}" data-move="down" aria-label="Move ${title} down">Down</button><button type="submit" class="nr-button nr-button--quiet nr-button--small" name="op" value="remove:${slot}:${i}" data-move="remove" aria-label="Unpin ${title}">Unpin</button></span></li>`;
  })}</ol>${pins.length ? '' : html`<p class="nr-hint nr-pins__empty">Nothing pinned: filled automatically.</p>`}`;
}

function sizeField(id: string, name: string, value: string): SafeHtml {
  return html`<label for="${id}">Stories shown</label> <input id="${id}" name="${name}" type="number" min="1" max="20" step="1" value="${value}" class="nr-front-size">`;
}

function blockFields(p: ArrangePageProps): SafeHtml {
  return html`${p.state.blocks.map(
    (b, i) => html`<fieldset class="nr-front-slot"><legend>Named block ${i + 1}</legend>
<label for="block-${i}-title">Title</label> <input id="block-${i}-title" name="blocks.title" type="text" maxlength="80" value="${b.title}" required>
${sizeField(`block-${i}-size`, 'blocks.size', b.size)}
<label for="block-${i}-tag">Fill with the tag</label> <select id="block-${i}-tag" name="blocks.tag"><option value="">Nothing: pinned stories only</option>${p.tags.map((t) => html`<option value="${t.id}"${t.id === b.tagId ? html` selected` : ''}>${t.name}</option>`)}</select>
${pinList(p, `b${i}`, b.pins)}
<button type="submit" class="nr-button nr-button--danger nr-button--small" name="op" value="remove-block:${i}">Remove this block</button></fieldset>`,
  )}`;
}

function picker(p: ArrangePageProps): SafeHtml {
  const slots = ['lead', 'top', ...p.state.blocks.map((_, i) => `b${i}`)];
  return html`<section class="nr-card nr-front-picker" aria-labelledby="picker-heading"><h2 id="picker-heading">Find a story to pin</h2>
<label for="picker-q">Headline contains</label> <input id="picker-q" name="q" type="search" value="${p.q}" data-picker-q>
<label for="picker-target">Pin to</label> <select id="picker-target" name="target" data-picker-target>${slots.map((s) => html`<option value="${s}"${s === p.target ? html` selected` : ''}>${slotLabel(p.state, s)}</option>`)}</select>
<button type="submit" class="nr-button nr-button--small" name="op" value="search" data-picker-search>Search</button>
<ul class="nr-picker-results" data-picker-results aria-live="polite">${(p.results ?? []).map(
    (s) =>
      html`<li><span class="nr-pin__title">${s.headline}</span> <span class="nr-pin__meta">${storyFacts(s)}</span> <button type="submit" class="nr-button nr-button--quiet nr-button--small" name="op" value="add:${s.id}" data-add="${s.id}" data-headline="${s.headline}" data-meta="${s.sectionName} · ${s.visible ? 'live' : `not on the site now (${s.status})`}" aria-label="Pin ${s.headline}">Pin</button></li>`,
  )}</ul>${p.results && !p.results.length ? html`<p class="nr-hint">No published or scheduled story has that in its headline.</p>` : ''}</section>`;
}

const when = (iso: string | null) => (iso ? formatUtc(iso) : '');

function stateLabel(v: ArrangementVersion, desk: FrontDesk): string {
  if (v.state === 'draft') return 'Draft';
  if (v.state === 'cancelled') return 'Cancelled';
  if (desk.inForce?.id === v.id) return 'On the front now';
  return desk.scheduled.some((s) => s.id === v.id) ? 'Scheduled' : 'Published earlier';
}

function historyTable(p: ArrangePageProps): SafeHtml {
  const { desk } = p;
  if (!desk.history.length) return html`<p class="nr-hint">No arrangement yet: the front shows the newest stories.</p>`;
  return html`<div class="nr-table-wrap"><table class="nr-table"><thead><tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">Takes over</th><th scope="col">Saved</th><th scope="col">Actions</th></tr></thead><tbody>${desk.history.map(
    (
      v,
    ) => html`<tr><td>${v.version}${v.restoredFrom ? html` <span class="nr-muted">(from ${v.restoredFrom})</span>` : ''}</td><td>${stateLabel(v, desk)}</td><td>${when(v.effectiveAt)}</td><td>${when(v.createdAt)}</td>
<td><a href="/newsroom/fronts/${desk.front.name}/preview?version=${v.version}">Preview</a>
<form method="post" action="/newsroom/fronts/${desk.front.name}/restore" class="nr-inline">${csrfField(p.csrfToken)}<input type="hidden" name="version" value="${v.version}"><input type="hidden" name="expectedRevision" value="${desk.revision}"><button type="submit" class="nr-button nr-button--quiet nr-button--small">Restore as draft</button></form>
${
  stateLabel(v, desk) === 'Scheduled'
    ? html`<form method="post" action="/newsroom/fronts/${desk.front.name}/cancel" class="nr-inline">${csrfField(p.csrfToken)}<input type="hidden" name="version" value="${v.version}"><button type="submit" class="nr-button nr-button--danger nr-button--small">Cancel</button></form>`
    : ''
}</td></tr>`,
  )}</tbody></table></div>`;
}

/** `/newsroom/fronts/:front`: the arranging form, the picker, the schedule and the history. */
export function arrangeFrontView(chrome: NewsroomChrome, p: ArrangePageProps): SafeHtml {
  const { desk, state } = p;
  const working = desk.working;
  return newsroomLayout(chrome, {
    title: `Arrange ${desk.front.title}`,
    current: 'fronts',
    body: html`<p><a href="/newsroom/fronts">← All fronts</a></p>
<h1>Arrange the ${desk.front.title} front</h1>
<p class="nr-lead">${desk.inForce ? `Version ${desk.inForce.version} is on the front now.` : 'No arrangement is on the front: it shows the newest stories.'}${working.state === 'draft' ? ` You are editing draft version ${working.version}.` : ''} <a href="${desk.front.path}">View the front</a></p>
${desk.scheduled.map((s) => html`<p class="nr-flash" role="status">Version ${s.version} takes over at ${when(s.effectiveAt)}.</p>`)}
${formError(p.error)}
<p class="nr-hint" id="arrange-help">Drag stories between the lists, or use each story’s Up, Down and Unpin buttons. Pinned stories come first in their block; the rest is filled with the newest stories, and no story appears twice.</p>
<form method="post" action="/newsroom/fronts/${desk.front.name}" class="nr-front-form" data-front-form data-search-url="/newsroom/fronts/${desk.front.name}/stories" aria-describedby="arrange-help">
${csrfField(p.csrfToken)}<input type="hidden" name="expectedRevision" value="${desk.revision}">
<div class="nr-front-grid"><div>
<fieldset class="nr-front-slot"><legend>Lead</legend>${pinList(p, 'lead', state.lead)}</fieldset>
<fieldset class="nr-front-slot"><legend>Top stories</legend>${sizeField('top-size', 'top.size', state.top.size)}${pinList(p, 'top', state.top.pins)}</fieldset>
${blockFields(p)}
<button type="submit" class="nr-button nr-button--quiet" name="op" value="add-block">Add a named block</button>
</div>${picker(p)}</div>
<section class="nr-card" aria-labelledby="publish-heading"><h2 id="publish-heading">Publish</h2>
<p class="nr-hint">Preview opens the front as readers would see it with this arrangement, without saving.</p>
<p class="nr-front-actions"><button type="submit" class="nr-button nr-button--quiet" name="op" value="preview" formtarget="_blank">Preview</button>
<button type="submit" class="nr-button nr-button--quiet" name="op" value="save">Save draft</button>
<button type="submit" class="nr-button" name="op" value="publish">Publish now</button></p>
<fieldset class="nr-front-slot"><legend>Schedule instead</legend>
<label for="schedule-at">Takes over at</label> <input type="datetime-local" id="schedule-at" name="at" step="60">
<label for="schedule-tz">Time zone</label> <input type="text" id="schedule-tz" name="tz" value="UTC" autocomplete="off" spellcheck="false">
<button type="submit" class="nr-button nr-button--quiet" name="op" value="schedule">Schedule</button></fieldset>
</section>
</form>
<p class="nr-visually-hidden" role="status" aria-live="polite" data-front-announce></p>
<section aria-labelledby="history-heading"><h2 id="history-heading">History</h2>${historyTable(p)}</section>
<script src="${p.scriptSrc}" defer></script>`,
  });
}
