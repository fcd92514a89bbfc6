// Progressive enhancement only: every page is complete without this file.
(() => {
  // The page's interface language (html lang): dates, relative times and labels follow it.
  const lang = document.documentElement.lang || undefined;
  // Copy-link / native share sheet.
  for (const button of document.querySelectorAll('[data-share-url]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const url = button.getAttribute('data-share-url');
      const title = button.getAttribute('data-share-title') || document.title;
      const label = button.querySelector('.share-bar__copy-label');
      const idle = label ? label.textContent : '';
      if (navigator.share) {
        try {
          await navigator.share({ title, url });
          return;
        } catch (err) {
          if (err && err.name === 'AbortError') return;
        }
      }
      try {
        await navigator.clipboard.writeText(url);
        if (label) label.textContent = button.getAttribute('data-copied') || idle;
      } catch {
        window.prompt(button.getAttribute('data-copy-prompt') || '', url);
      }
      if (label) setTimeout(() => (label.textContent = idle), 2500);
    });
  }
  // Times are rendered in UTC by the server; show them in the reader's own time zone.
  const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
  const rel = 'RelativeTimeFormat' in Intl ? new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }) : null;
  for (const el of document.querySelectorAll('time[data-localize]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (Number.isNaN(d.getTime())) continue;
    let text = fmt.format(d);
    const mins = Math.round((Date.now() - d.getTime()) / 60000);
    if (rel && mins >= 0 && mins < 60 * 24)
      text += ` (${mins < 60 ? rel.format(-mins, 'minute') : rel.format(-Math.round(mins / 60), 'hour')})`;
    el.textContent = text;
  }
})();

// The breaking-news banner, kept current without a reload: one small stream per page that
// speaks only when the alert changes. Closed while the tab is hidden; on return it resumes from
// the alert this page shows, so a change made meanwhile arrives at once.
(() => {
  const region = document.querySelector('[data-alert-stream]');
  if (!region || !('EventSource' in window)) return;
  const url = region.getAttribute('data-alert-stream');
  let shown = region.getAttribute('data-alert-shown') || 'none';
  let source = null;

  function show(e) {
    shown = e.lastEventId || shown;
    const data = JSON.parse(e.data);
    // The server renders the banner's markup (escaped); this only swaps it in.
    region.innerHTML = data.html || '';
    region.setAttribute('data-alert-shown', shown);
  }
  function stop() {
    if (source) source.close();
    source = null;
  }
  function start() {
    if (source || document.hidden) return;
    source = new EventSource(`${url}?since=${encodeURIComponent(shown)}`);
    source.addEventListener('alert', show);
    source.addEventListener('clear', show);
    // A refusal (503: the node is full) closes the source for good: the banner stays as served.
    source.addEventListener('error', () => {
      if (source && source.readyState === EventSource.CLOSED) stop();
    });
  }
  document.addEventListener('visibilitychange', () => (document.hidden ? stop() : start()));
  start();
})();
