// Progressive enhancement for the workflow panel (src/newsroom/views/story-workflow-panel.ts).
// Without it every form still works: times are read in the zone typed (UTC by default).
(() => {
  let zone = 'UTC';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    // Very old browsers: stay with UTC, which the form says plainly.
  }
  // Time fields start in the editor's own zone instead of UTC.
  for (const input of document.querySelectorAll('input[data-nr-tz]')) {
    if (input.value === 'UTC') input.value = zone;
  }
  // Server times are UTC; add the editor's local time beside them.
  if (zone === 'UTC') return;
  const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  for (const el of document.querySelectorAll('time[data-nr-local]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (Number.isNaN(d.getTime()) || el.nextElementSibling?.classList.contains('nr-local-time')) continue;
    const local = document.createElement('span');
    local.className = 'nr-local-time';
    local.textContent = ` (${fmt.format(d)}, ${zone})`;
    el.after(local);
  }
})();
