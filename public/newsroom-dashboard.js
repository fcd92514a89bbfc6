// The dashboard's numbers and lists follow the day without a reload (src/newsroom/views/dashboard-view.ts).
// It asks /newsroom/dashboard.json every few seconds while the tab is visible, and at once when the
// tab comes back; the ETag it sends back makes an unchanged answer a bodiless 304.
(() => {
  const root = document.getElementById('dashboard');
  if (!root || !window.fetch) return;
  const url = root.getAttribute('data-dashboard');
  const every = Number(root.getAttribute('data-poll-ms')) || 10000;
  const updated = document.getElementById('dash-updated');
  const announce = document.getElementById('dash-announce');
  const lists = new Map();
  let etag = null;
  let busy = false;

  function titleOf(key) {
    const heading = document.getElementById(`dash-${key}-title`);
    return heading ? heading.firstChild.textContent.trim() : key;
  }

  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const headers = { accept: 'application/json' };
      if (etag) headers['if-none-match'] = etag;
      const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers });
      if (res.status !== 304) {
        // Signed out, or the server is away: keep what is shown and try again later.
        if (!res.ok || !(res.headers.get('content-type') || '').startsWith('application/json')) return;
        etag = res.headers.get('etag');
        const data = await res.json();
        const moved = [];
        for (const [key, part] of Object.entries(data.parts)) {
          const n = String(part.count);
          let changed = false;
          for (const el of root.querySelectorAll(`[data-dash-count="${key}"]`)) {
            if (el.textContent !== n) {
              el.textContent = n;
              changed = true;
            }
          }
          if (changed) moved.push(`${titleOf(key)}: ${n}`);
          const list = root.querySelector(`[data-dash-list="${key}"]`);
          // The first answer is drawn too: what changed between the page's render and that
          // answer (an assignment made meanwhile) would otherwise move the number, not the list.
          if (list && lists.get(key) !== part.html) list.innerHTML = part.html;
          lists.set(key, part.html);
        }
        if (moved.length && announce) announce.textContent = moved.join('; ');
      }
      if (updated) updated.textContent = `Numbers as of ${new Date().toLocaleTimeString()}.`;
    } catch {
      // A dropped connection: the next tick tries again.
    } finally {
      busy = false;
    }
  }

  setInterval(refresh, every);
  document.addEventListener('visibilitychange', () => document.hidden || refresh());
  refresh();
})();
