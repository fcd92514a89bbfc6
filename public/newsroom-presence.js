// Presence and the soft lock in the story editor (src/newsroom/views/story-presence-panel.ts,
// src/domain/presence/story-presence.ts). Each open tab beats every few seconds with the field it
// is in; the answer says who else is here and in which field, who holds the editing lock, and
// whether this tab lost it to an editor. Nothing here saves the story: typed text stays in the
// form, and a save made after someone else's is kept as a conflict copy by the server.
(() => {
  const panel = document.getElementById('presence-panel');
  const form = document.getElementById('story-form');
  if (!panel || !form || !window.fetch) return;
  const url = panel.getAttribute('data-presence');
  const csrf = (form.querySelector('input[name="_csrf"]') || {}).value || '';
  const clientId = window.crypto && crypto.randomUUID ? crypto.randomUUID() : `c-${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;
  const BEAT_MS = 5000;
  const list = document.getElementById('presence-list');
  const lockLine = document.getElementById('presence-lock');
  const status = document.getElementById('presence-status');
  const takeover = document.getElementById('presence-takeover');
  const LABELS = {
    headline: 'the headline',
    standfirst: 'the standfirst',
    body: 'the body',
    slug: 'the address',
    section: 'the section',
    tags: 'the tags',
    bylines: 'the bylines',
    language: 'the language',
    comments: 'the comments setting',
    hero: 'the main image',
  };
  let field = '';
  let state = null;
  let inFlight = false;
  let again = false;
  let shownTakeover = null;
  let warning = null;

  /** The field an element belongs to, in the words the heartbeat uses. */
  function fieldOf(el) {
    if (!el || !el.closest) return '';
    if (el.closest('#story-body') || el.closest('#se-toolbar')) return 'body';
    if (el.closest('#story-bylines')) return 'bylines';
    if (el.closest('.se-hero') || (el.id || '').startsWith('story-hero')) return 'hero';
    const name = el.getAttribute && el.getAttribute('name');
    if (!name || !el.closest('#story-form')) return '';
    if (name === 'sectionId') return 'section';
    if (name === 'commentsPolicy') return 'comments';
    return LABELS[name] ? name : '';
  }

  function fieldElement(f) {
    if (f === 'body') return document.getElementById('story-body');
    if (f === 'bylines') return document.getElementById('story-bylines');
    if (f === 'section') return document.getElementById('story-section');
    if (f === 'comments') return form.querySelector('[role="radiogroup"]');
    if (f === 'hero') return document.getElementById('story-hero-preview');
    return document.getElementById(`story-${f}`);
  }

  function othersIn(f) {
    return state && f ? state.others.filter((o) => o.field === f) : [];
  }

  function namesOf(people) {
    return [...new Set(people.map((o) => (state && o.userId === state.you ? 'You, in another tab,' : o.name)))].join(' and ');
  }

  /** Before two people edit one field: said right above it, as soon as this tab enters it. */
  function showFieldWarning() {
    const people = othersIn(field);
    if (!people.length) {
      if (warning) warning.remove();
      warning = null;
      return;
    }
    const target = fieldElement(field);
    if (!target) return;
    if (!warning) {
      warning = document.createElement('p');
      warning.className = 'presence-warning';
      warning.setAttribute('role', 'alert');
    }
    const text = `${namesOf(people)} ${people.length > 1 ? 'are' : 'is'} editing ${LABELS[field] || field} right now. If you both change it, the second save is kept as a copy to compare.`;
    if (warning.textContent !== text) warning.textContent = text;
    if (warning.nextElementSibling !== target) target.before(warning);
  }

  function render() {
    if (!state) return;
    if (status) status.hidden = true;
    list.replaceChildren(
      ...(state.others.length ? state.others : [null]).map((o) => {
        const li = document.createElement('li');
        if (!o) {
          li.textContent = 'Nobody else has this story open.';
          li.className = 'nr-muted';
          return li;
        }
        const who = document.createElement('strong');
        who.textContent = o.userId === state.you ? 'You, in another tab' : o.name;
        li.append(who, o.field ? `: editing ${LABELS[o.field] || o.field}` : ': reading');
        return li;
      }),
    );
    const lock = state.lock;
    if (!lock) lockLine.textContent = 'Nobody is editing this story right now.';
    else if (lock.mine) lockLine.textContent = 'You are editing this story; anyone who opens it is told.';
    else
      lockLine.textContent = `${lock.userId === state.you ? 'You, in another tab,' : lock.name} ${lock.userId === state.you ? 'are' : 'is'} editing this story.`;
    takeover.hidden = !(lock && !lock.mine && state.canTakeOver);
    showFieldWarning();
    if (state.takenOver && shownTakeover !== state.takenOver.at) tellTakenOver(state.takenOver);
  }

  function typedText() {
    const v = (name) => (form.querySelector(`[name="${name}"]`) || {}).value || '';
    const body = document.querySelector('#story-body .ProseMirror') || document.querySelector('#story-body');
    return [`Headline: ${v('headline')}`, `Standfirst: ${v('standfirst')}`, '', (body && body.innerText) || ''].join('\n');
  }

  /** This tab lost the lock: say who took it, freeze the form (text kept) and offer the text to copy. */
  function tellTakenOver(t) {
    shownTakeover = t.at;
    field = '';
    const at = new Date(t.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const notice = document.createElement('section');
    notice.className = 'nr-error presence-notice';
    notice.id = 'presence-notice';
    notice.setAttribute('role', 'alert');
    notice.setAttribute('aria-labelledby', 'presence-notice-title');
    const h = document.createElement('h2');
    h.id = 'presence-notice-title';
    h.textContent = `${t.byName} took over editing this story at ${at}.`;
    const p = document.createElement('p');
    p.textContent =
      'Your typed text is still in the form and below; nothing you typed is lost. Copy it before you reload to see their changes.';
    const label = document.createElement('label');
    label.htmlFor = 'presence-kept-text';
    label.textContent = 'Your text';
    const kept = document.createElement('textarea');
    kept.id = 'presence-kept-text';
    kept.readOnly = true;
    kept.rows = 6;
    kept.value = typedText();
    const actions = document.createElement('p');
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'nr-button nr-button--small';
    copy.textContent = 'Copy my text';
    copy.addEventListener('click', async () => {
      kept.select();
      try {
        await navigator.clipboard.writeText(kept.value);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
      }
    });
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.className = 'nr-button nr-button--quiet nr-button--small';
    keep.textContent = 'Keep editing anyway';
    keep.addEventListener('click', () => {
      form.inert = false;
      keep.remove();
    });
    const reload = document.createElement('a');
    reload.href = location.pathname;
    reload.textContent = 'Reload the latest version';
    actions.append(copy, ' ', keep, ' ', reload);
    notice.append(h, p, label, kept, actions);
    document.getElementById('presence-notice')?.remove();
    const layout = document.querySelector('.se-layout');
    (layout || form).before(notice);
    // Read-only until they choose: the text stays visible in the form, and in the box above.
    form.inert = true;
  }

  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`presence ${res.status}`);
    return res.json();
  }

  async function beat() {
    if (inFlight) return void (again = true);
    inFlight = true;
    try {
      do {
        again = false;
        state = await post(url, { clientId, field: form.inert ? '' : field });
        render();
      } while (again);
    } catch {
      // Offline or signed out: the next beat tries again; the form keeps working.
    } finally {
      inFlight = false;
    }
  }

  function setField(next) {
    if (next === field) return;
    field = next;
    showFieldWarning();
    beat();
  }

  // Focus on this panel's own controls (the takeover button) keeps the field: clearing it would
  // drop the warning above the field and shift the page under the pointer mid-click.
  const inPanel = (el) => !!el && panel.contains(el);
  document.addEventListener('focusin', (e) => {
    if (!inPanel(e.target)) setField(fieldOf(e.target));
  });
  document.addEventListener('focusout', () =>
    setTimeout(() => {
      const el = document.activeElement;
      if (!inPanel(el) && !fieldOf(el)) setField('');
    }, 200),
  );
  takeover.addEventListener('click', async () => {
    takeover.disabled = true;
    try {
      state = await post(`${url}/takeover`, { clientId, field });
      render();
      lockLine.textContent = 'You took over editing; the person who had it has been told.';
    } catch {
      lockLine.textContent = 'The takeover did not go through; try again.';
    } finally {
      takeover.disabled = false;
    }
  });
  window.addEventListener('pagehide', () => {
    navigator.sendBeacon(`${url}/leave`, new URLSearchParams({ _csrf: csrf, clientId }));
  });
  setInterval(beat, BEAT_MS);
  if (status) status.hidden = false;
  beat();
})();
