// Calendar days and months in a time zone, from timestamps: DST days are 23 and 25 hours long,
// months start at local midnight, and zones ahead of UTC change date before UTC does.
import { describe, expect, it } from 'vitest';

import { Calendar } from '../../servers/budget/periods.js';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('Calendar', () => {
  it('finds local days around the spring-forward and fall-back changes in New York', () => {
    const ny = new Calendar('America/New_York');
    // 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT, so the day is 23 hours.
    const spring = ny.period('day', Date.parse('2026-03-08T12:00:00Z'));
    expect(spring.key).toBe('2026-03-08');
    expect(iso(spring.start)).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(spring.end)).toBe('2026-03-09T04:00:00.000Z');
    expect(spring.end - spring.start).toBe(23 * H);
    // 2026-11-01: clocks fall back from 02:00 EDT to 01:00 EST, so the day is 25 hours.
    const fall = ny.period('day', Date.parse('2026-11-01T12:00:00Z'));
    expect(fall.end - fall.start).toBe(25 * H);
    expect(iso(fall.start)).toBe('2026-11-01T04:00:00.000Z');
  });

  it('puts the last minute of a day and the first of the next in different days', () => {
    const berlin = new Calendar('Europe/Berlin');
    const before = berlin.period('day', Date.parse('2026-06-30T21:59:00Z')); // 23:59 CEST
    const after = berlin.period('day', Date.parse('2026-06-30T22:00:00Z')); // 00:00 CEST
    expect(before.key).toBe('2026-06-30');
    expect(after.key).toBe('2026-07-01');
    expect(before.end).toBe(after.start);
    // …and the month changes at the same instant, though UTC is still in June.
    expect(berlin.period('month', Date.parse('2026-06-30T21:59:00Z')).key).toBe('2026-06');
    const july = berlin.period('month', Date.parse('2026-06-30T22:00:00Z'));
    expect(july.key).toBe('2026-07');
    expect(iso(july.start)).toBe('2026-06-30T22:00:00.000Z');
    expect(iso(july.end)).toBe('2026-07-31T22:00:00.000Z');
  });

  it('computes months across a year end and a DST change inside the month', () => {
    const ny = new Calendar('America/New_York');
    const december = ny.period('month', Date.parse('2026-12-15T00:00:00Z'));
    expect(december.key).toBe('2026-12');
    expect(iso(december.end)).toBe('2027-01-01T05:00:00.000Z');
    const march = ny.period('month', Date.parse('2026-03-20T00:00:00Z'));
    // March starts in EST (UTC−5) and ends in EDT (UTC−4): 31 days minus one hour.
    expect(march.end - march.start).toBe(31 * 24 * H - H);
  });

  it('handles zones far from UTC and with 45-minute offsets', () => {
    const auckland = new Calendar('Pacific/Auckland');
    // 2026-01-01 00:30 in Auckland (UTC+13) is still 2025-12-31 in UTC.
    const newYear = auckland.period('day', Date.parse('2025-12-31T11:30:00Z'));
    expect(newYear.key).toBe('2026-01-01');
    expect(iso(newYear.start)).toBe('2025-12-31T11:00:00.000Z');
    const kathmandu = new Calendar('Asia/Kathmandu'); // UTC+5:45
    const day = kathmandu.period('day', Date.parse('2026-05-10T12:00:00Z'));
    expect(iso(day.start)).toBe('2026-05-09T18:15:00.000Z');
    expect(day.end - day.start).toBe(24 * H);
  });

  it('starts a day whose midnight does not exist at the first instant of that date', () => {
    // Santiago springs forward at 24:00 on 2026-09-05: local midnight 2026-09-06 never happens.
    const santiago = new Calendar('America/Santiago');
    const day = santiago.period('day', Date.parse('2026-09-06T12:00:00Z'));
    expect(day.key).toBe('2026-09-06');
    expect(santiago.localDate(day.start)).toEqual({ year: 2026, month: 9, day: 6 });
    expect(santiago.localDate(day.start - 60_000)).toEqual({ year: 2026, month: 9, day: 5 });
    expect(day.end - day.start).toBe(23 * H); // 01:00 −03 to the next midnight −03
  });
});
