// Query filters of GET /payment-links: `amount` (eq:/bt:/gt:/lt:) and `date` (last:/eq:/bt:/after:/
// before:), parsed once into predicates over stored numbers so listing never renders to filter.
import { errors } from '../core/errors.js';

export type NumberTest = (value: number) => boolean;

const INT = /^\d+$/;

/** `eq:100`, `bt:10,100` (inclusive), `gt:50`, `lt:200` over integer minor units. */
export function parseAmountFilter(value: unknown): NumberTest | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const fail = () => errors.invalid('amount', 'amount must look like eq:100, bt:10,100, gt:50 or lt:200 (minor units).');
  const m = /^(eq|bt|gt|lt):(.+)$/.exec(String(value).trim());
  if (!m) throw fail();
  const args = m[2]!.split(',').map((a) => a.trim());
  if (!args.every((a) => INT.test(a)) || args.length !== (m[1] === 'bt' ? 2 : 1)) throw fail();
  const [a, b] = args.map(Number) as [number, number];
  switch (m[1]) {
    case 'eq':
      return (v) => v === a;
    case 'gt':
      return (v) => v > a;
    case 'lt':
      return (v) => v < a;
    default:
      if (a > b) throw errors.invalid('amount', 'In bt:min,max the minimum must not exceed the maximum.');
      return (v) => v >= a && v <= b;
  }
}

/** Real zones span UTC-12:00 to UTC+14:00; a wider offset is a typo, not a place. */
const MAX_OFFSET_MINUTES = 14 * 60;
const FIXED_OFFSET = /^(?:Z|UTC|([+-])(\d{2}):?(\d{2}))$/i;

/** Minutes east of UTC for `Z`, `UTC`, `+02:00`, `-0530`; null when `timeZone` is not of that form; NaN when it is, but impossible. */
function fixedOffsetMinutes(timeZone: string): number | null {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (!fixed) return null;
  if (!fixed[1]) return 0;
  const hours = Number(fixed[2]);
  const minutes = Number(fixed[3]);
  if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return NaN;
  return (fixed[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Offset of `timeZone` from UTC at `atMs`, in ms (an IANA name, or `+02:00` / `-0530` / `Z`). */
export function zoneOffsetMs(timeZone: string, atMs: number): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== null) {
    if (Number.isNaN(fixed)) throw new RangeError(`Offset out of range: ${timeZone}`);
    return fixed * 60_000;
  }
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(atMs))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** Only IANA names (`Africa/Cairo`) and offsets within ±14:00; anything else is refused, never guessed. */
export function checkTimeZone(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'UTC';
  const tz = String(value);
  // Intl also takes bare offsets and odd spellings on some Node versions; only zone names go to it.
  const nameLike = fixedOffsetMinutes(tz) !== null || /^[A-Za-z][A-Za-z0-9_+\-]*(?:\/[A-Za-z0-9_+\-]+)*$/.test(tz);
  try {
    if (!nameLike) throw new RangeError(tz);
    zoneOffsetMs(tz, 0);
    return tz;
  } catch {
    throw errors.invalid('timezone', `Unknown timezone ${tz}: use an IANA name like Africa/Cairo or an offset from -14:00 to +14:00 like +02:00.`);
  }
}

/** Start of a calendar day (YYYY-MM-DD) in `timeZone`, as epoch ms. */
function dayStart(day: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const utc = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== day) {
    throw errors.invalid('date', `${day} is not a calendar date (YYYY-MM-DD).`);
  }
  return utc - zoneOffsetMs(timeZone, utc - zoneOffsetMs(timeZone, utc));
}

const DAY_MS = 86_400_000;

/**
 * `last:7,days|weeks|months` (up to now), `eq:2026-01-31` (that day), `bt:2026-01-01,2026-01-31`
 * (both days included), `after:2026-01-31` (from the next day on), `before:2026-01-31` (up to that day, excluded).
 * Days are calendar days in `timeZone` (default UTC).
 */
export function parseDateFilter(value: unknown, timeZone: string, nowMs: number): NumberTest | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = /^(last|eq|bt|after|before):(.+)$/.exec(String(value).trim());
  if (!m) throw errors.invalid('date', 'date must look like last:7,days, eq:2026-01-31, bt:2026-01-01,2026-01-31, after:2026-01-31 or before:2026-01-31.');
  const args = m[2]!.split(',').map((a) => a.trim());
  const arity = m[1] === 'bt' || m[1] === 'last' ? 2 : 1;
  if (args.length !== arity) throw errors.invalid('date', `date ${m[1]}: takes ${arity} value${arity > 1 ? 's' : ''}.`);
  switch (m[1]) {
    case 'last': {
      if (!INT.test(args[0]!) || !['day', 'days', 'week', 'weeks', 'month', 'months'].includes(args[1]!)) {
        throw errors.invalid('date', 'date last: takes a count and days, weeks or months, e.g. last:7,days.');
      }
      const n = Number(args[0]);
      let from: number;
      if (args[1]!.startsWith('month')) {
        const d = new Date(nowMs);
        d.setUTCMonth(d.getUTCMonth() - n);
        from = d.getTime();
      } else from = nowMs - n * (args[1]!.startsWith('week') ? 7 : 1) * DAY_MS;
      return (t) => t >= from && t <= nowMs;
    }
    case 'eq': {
      const start = dayStart(args[0]!, timeZone);
      const end = dayStart(nextDay(args[0]!), timeZone);
      return (t) => t >= start && t < end;
    }
    case 'bt': {
      const start = dayStart(args[0]!, timeZone);
      const end = dayStart(nextDay(args[1]!), timeZone);
      if (start >= end) throw errors.invalid('date', 'In bt:from,to the first day must not be after the second.');
      return (t) => t >= start && t < end;
    }
    case 'after': {
      const from = dayStart(nextDay(args[0]!), timeZone);
      return (t) => t >= from;
    }
    default: {
      const until = dayStart(args[0]!, timeZone);
      return (t) => t < until;
    }
  }
}

function nextDay(day: string): string {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(ms)) throw errors.invalid('date', `${day} is not a calendar date (YYYY-MM-DD).`);
  return new Date(ms + DAY_MS).toISOString().slice(0, 10);
}
