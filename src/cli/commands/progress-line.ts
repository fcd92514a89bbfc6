import type { CliIo } from '../cli-io.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Progress on stderr in the house style (src/demo/generate-cli.ts): one line redrawn in place
 * on a terminal, otherwise a line every few seconds (logs, CI, pipes) and one when a phase ends.
 */
export function progressLine(io: CliIo, options: { bytes?: boolean } = {}) {
  const stderr = io.stderr as CliIo['stderr'] & { isTTY?: boolean };
  const tty = stderr.isTTY === true;
  const amount = (n: number) => (options.bytes ? `${(n / 1048576).toFixed(1)} MB` : fmt(n));
  let phase = '';
  let phaseStart = 0;
  let lastDraw = 0;
  return {
    update(label: string, done: number, total: number) {
      const now = Date.now();
      if (label !== phase) {
        if (tty && phase) stderr.write('\n');
        phase = label;
        phaseStart = now;
        lastDraw = 0;
      }
      const finished = done >= total;
      if (!finished && now - lastDraw < (tty ? 200 : 5000)) return;
      if (!tty && done === 0 && !finished) return;
      lastDraw = now;
      const elapsed = now - phaseStart;
      const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
      const eta = rate > 0 ? ((total - done) / rate) * 1000 : Infinity;
      const pct = total ? ((done / total) * 100).toFixed(1) : '100.0';
      const line = `${label}: ${amount(done)} / ${amount(total)} (${pct}%) · ${finished ? `done in ${duration(elapsed)}` : `ETA ${duration(eta)}`}`;
      stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      // A finished phase is reported once.
      if (finished) lastDraw = Infinity;
    },
    end() {
      if (tty && phase) stderr.write('\n');
      phase = '';
    },
  };
}
