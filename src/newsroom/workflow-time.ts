import { ValidationError } from '../domain/errors.ts';

/*
 * Newsroom forms take a wall-clock time (`<input type="datetime-local">`, no zone) plus the
 * IANA time zone it is meant in; everything is stored in UTC. The conversion is explicit so
 * "06:00" never silently means the server's zone.
 */

const LOCAL_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/;
const ZONED_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for `UTC` and any IANA zone this runtime knows (`Europe/Paris`). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    partsFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Every zone offered in the form, UTC first. */
export function timeZoneNames(): readonly string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

/** The wall-clock time in `tz` at instant `ms`, as if it were UTC (milliseconds). */
function wallClockMs(ms: number, tz: string): number {
  const p = Object.fromEntries(
    partsFormatter(tz)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/**
 * Reads a form time: `2026-11-26T06:00` in zone `tz`, or a full ISO time with `Z` or an
 * offset (then `tz` is ignored). Returns ISO UTC; ValidationError naming `field` otherwise,
 * including for a wall time that does not exist in that zone (the hour skipped by DST).
 */
export function parseZonedTime(value: string, tz: string, field: string): string {
  const v = value.trim();
  if (ZONED_RE.test(v)) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  const m = LOCAL_RE.exec(v);
  if (!m)
    throw new ValidationError(`${field}: enter a date and time, such as 2026-11-26 06:00.`, [
      { path: field, message: 'not a date and time' },
    ]);
  if (!isTimeZone(tz))
    throw new ValidationError(`tz: "${tz}" is not a time zone; use one such as UTC or Europe/London.`, [
      { path: 'tz', message: 'unknown time zone' },
    ]);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 16) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}` || s > 59) {
    throw new ValidationError(`${field}: ${v.replace('T', ' ')} is not a real date and time.`, [{ path: field, message: 'no such date' }]);
  }
  // Two passes settle the offset on either side of a DST change.
  let utc = wall - (wallClockMs(wall, tz) - wall);
  utc = wall - (wallClockMs(utc, tz) - utc);
  if (wallClockMs(utc, tz) !== wall) {
    throw new ValidationError(
      `${field}: ${v.replace('T', ' ')} does not exist in ${tz} (the clocks skip that hour); choose another time.`,
      [{ path: field, message: 'skipped by a clock change' }],
    );
  }
  return new Date(utc).toISOString();
}

/** "Thu 26 Nov 2026, 06:00" in `tz` (for echoing a time back in the zone it was entered in). */
export function formatInZone(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The UTC form of an ISO time: "Thu 26 Nov 2026, 06:00 UTC". */
export function formatUtc(iso: string): string {
  return `${formatInZone(iso, 'UTC')} UTC`;
}

/** The `datetime-local` value of an instant in UTC (to prefill forms). */
export function toLocalInputValue(iso: string): string {
  return iso.slice(0, 16);
}
