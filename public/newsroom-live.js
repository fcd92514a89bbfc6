// The live desk, progressive enhancement only: every form works without this file.
// Ctrl+Enter (⌘+Enter) sends the entry form; the entries column follows the story's public
// stream, so colleagues' entries appear without a reload.
(() => {
  for (const form of document.querySelectorAll('[data-live-composer]')) {
    const textarea = form.querySelector('textarea');
    if (!textarea) continue;
    // Typed text is never lost to an accidental reload or a refused post.
    textarea.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const submitter = form.querySelector('button[value="publish"]') || form.querySelector('button[type="submit"]');
      form.requestSubmit(submitter || undefined);
    });
  }

  const desk = document.querySelector('[data-live-desk]');
  const list = document.querySelector('[data-live-desk-list]');
  const stream = desk && desk.getAttribute('data-stream');
  if (!desk || !list || !stream || !('EventSource' in window)) return;
  let source = null;
  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) return void (again = true);
    refreshing = true;
    try {
      do {
        again = false;
        const res = await fetch(desk.getAttribute('data-list'), { credentials: 'same-origin' });
        if (res.ok) list.innerHTML = await res.text();
      } while (again);
    } finally {
      refreshing = false;
    }
  }
  function start() {
    if (source || document.hidden) return;
    source = new EventSource(stream);
    source.addEventListener('entry', refresh);
    source.addEventListener('delete', refresh);
    source.addEventListener('end', () => stop());
  }
  function stop() {
    if (source) source.close();
    source = null;
  }
  document.addEventListener('visibilitychange', () => (document.hidden ? stop() : (start(), refresh())));
  start();
})();
