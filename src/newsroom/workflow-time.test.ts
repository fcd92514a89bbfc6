import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUtc, isTimeZone, parseZonedTime } from './workflow-time.ts';

describe('workflow form times (wall clock + zone → UTC)', () => {
  it('reads a datetime-local value in the given zone, summer and winter', () => {
    assert.equal(parseZonedTime('2026-11-26T06:00', 'Europe/Paris', 'at'), '2026-11-26T05:00:00.000Z');
    assert.equal(parseZonedTime('2026-07-26T06:00', 'Europe/Paris', 'at'), '2026-07-26T04:00:00.000Z');
    assert.equal(parseZonedTime('2026-11-26T06:00', 'America/New_York', 'at'), '2026-11-26T11:00:00.000Z');
    assert.equal(parseZonedTime('2026-11-26T06:00', 'Asia/Kolkata', 'at'), '2026-11-26T00:30:00.000Z');
    assert.equal(parseZonedTime('2026-11-26T06:00:30', 'UTC', 'at'), '2026-11-26T06:00:30.000Z');
  });

  it('takes a full ISO time with an offset as it is, whatever the zone field says', () => {
    assert.equal(parseZonedTime('2026-11-26T06:00:00+02:00', 'Europe/Paris', 'at'), '2026-11-26T04:00:00.000Z');
    assert.equal(parseZonedTime('2026-11-26T06:00:00.000Z', 'Mars/Olympus', 'at'), '2026-11-26T06:00:00.000Z');
  });

  it('an hour repeated when clocks go back means its first occurrence; a skipped hour is refused', () => {
    assert.equal(parseZonedTime('2026-11-01T01:30', 'America/New_York', 'at'), '2026-11-01T05:30:00.000Z');
    assert.throws(() => parseZonedTime('2026-03-08T02:30', 'America/New_York', 'at'), {
      code: 'validation_failed',
      message: /does not exist in America\/New_York/,
    });
  });

  it('refuses impossible dates, junk and unknown zones with a message naming the field', () => {
    for (const [value, tz, message] of [
      ['2026-02-30T10:00', 'UTC', /^at: .*not a real date/],
      ['2026-13-01T10:00', 'UTC', /^at: .*not a real date/],
      ['2026-11-26T24:00', 'UTC', /^at: .*not a real date/],
      ['tomorrow', 'UTC', /^at: enter a date and time/],
      ['2026-11-26T06:00', 'Mars/Olympus', /^tz: .*not a time zone/],
      ['2026-11-26T06:00', '../../etc/passwd', /^tz: /],
    ] as const) {
      assert.throws(() => parseZonedTime(value, tz, 'at'), { code: 'validation_failed', message }, `${value} ${tz}`);
    }
    assert.equal(isTimeZone('Europe/London'), true);
    assert.equal(isTimeZone(''), false);
  });

  it('formats UTC times for the panel', () => {
    assert.equal(formatUtc('2026-11-26T05:00:00.000Z'), 'Thu, 26 Nov 2026, 05:00 UTC');
  });
});
