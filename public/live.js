// Live blog updates, progressive enhancement only: the page is complete without this file.
// New entries arrive by Server-Sent Events from the page's stream. They are inserted at the
// top when the reader is there; otherwise a "N new updates" bar waits for a click, so what the
// reader is reading never moves. The stream stops while the tab is hidden and when coverage
// ends, and resumes from the last entry it saw.
(() => {
  const list = document.querySelector('[data-live-stream]');
  if (!list || !('EventSource' in window)) return;
  const url = list.getAttribute('data-live-stream');
  let lastId = list.getAttribute('data-live-since') || '';
  const bar = document.querySelector('[data-live-new]');
  const pending = [];
  let source = null;
  let over = false;
  const lang = document.documentElement.lang || undefined;
  const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
  // "N new updates" in the page's language: the server sends each plural form ("#" is the number).
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);
  let forms = {};
  try {
    forms = JSON.parse((bar && bar.getAttribute('data-plural')) || '{}');
  } catch {
    forms = {};
  }
  const newUpdates = (n) => (forms[plural.select(n)] || forms.other || '#').replace('#', number.format(n));

  function fragment(html) {
    const t = document.createElement('template');
    t.innerHTML = html;
    const el = t.content.firstElementChild;
    for (const time of el.querySelectorAll('time[data-localize]')) {
      const d = new Date(time.getAttribute('datetime'));
      if (!Number.isNaN(d.getTime())) time.textContent = fmt.format(d);
    }
    return el;
  }

  // The reader is "at the top" while the start of the list is on screen.
  const atTop = () => list.getBoundingClientRect().top >= -10;

  // Inserting above the viewport shifts everything below; scroll by the same amount so the
  // words on screen stay where they are.
  function insertKeepingPlace(nodes) {
    const anchor = [...list.children].find((c) => c.getBoundingClientRect().bottom > 0) || null;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const empty = list.querySelector('.live-blog__empty');
    if (empty) empty.remove();
    for (const node of nodes.reverse()) list.insertBefore(node, list.firstChild);
    if (anchor && !atTopNow) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  }
  let atTopNow = true;

  function showBar() {
    if (!bar) return;
    bar.hidden = pending.length === 0;
    bar.textContent = '';
    if (!pending.length) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'live-blog__new-button';
    button.textContent = newUpdates(pending.length);
    button.addEventListener('click', () => {
      atTopNow = true;
      insertKeepingPlace(pending.splice(0));
      showBar();
      list.scrollIntoView({ block: 'start' });
    });
    bar.append(button);
  }

  function onEntry(e) {
    lastId = e.lastEventId || lastId;
    const { id, html } = JSON.parse(e.data);
    const node = fragment(html);
    const existing = document.getElementById(node.id);
    if (existing) {
      existing.replaceWith(node); // an edit or correction, in place
      return;
    }
    const queued = pending.findIndex((n) => n.id === node.id);
    if (queued >= 0) {
      pending[queued] = node;
      return;
    }
    void id;
    atTopNow = atTop();
    if (atTopNow && !pending.length) insertKeepingPlace([node]);
    else {
      pending.unshift(node);
      showBar();
    }
  }

  function onDelete(e) {
    lastId = e.lastEventId || lastId;
    const { id } = JSON.parse(e.data);
    document.getElementById(`entry-${id}`)?.remove();
    const queued = pending.findIndex((n) => n.id === `entry-${id}`);
    if (queued >= 0) {
      pending.splice(queued, 1);
      showBar();
    }
  }

  function stop() {
    if (source) source.close();
    source = null;
  }

  function start() {
    if (source || over || document.hidden) return;
    source = new EventSource(lastId ? `${url}?since=${encodeURIComponent(lastId)}` : url);
    source.addEventListener('entry', onEntry);
    source.addEventListener('delete', onDelete);
    source.addEventListener('end', () => {
      over = true;
      stop();
      const status = document.querySelector('.live-blog__status');
      if (status) status.textContent = status.getAttribute('data-ended-label') || '';
    });
    // A refusal (503: the node is full) or a 204 closes the source for good: keep the page as it is.
    source.addEventListener('error', () => {
      if (source && source.readyState === EventSource.CLOSED) stop();
    });
  }

  document.addEventListener('visibilitychange', () => (document.hidden ? stop() : start()));
  list.setAttribute('aria-live', 'off');
  if (bar) bar.setAttribute('aria-live', 'polite');
  start();
})();
