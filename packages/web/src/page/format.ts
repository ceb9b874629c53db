const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 3 days", "5 h ago", "now": how far a time is from `now`, rounded to what a person needs. */
export function relative(iso: string | undefined, now: number): string {
  if (!iso) return '—';
  const delta = Date.parse(iso) - now;
  const size = Math.abs(delta);
  const amount =
    size < MINUTE
      ? undefined
      : size < HOUR
        ? `${Math.round(size / MINUTE)} min`
        : size < 2 * DAY
          ? `${Math.round(size / HOUR)} h`
          : `${Math.round(size / DAY)} days`;
  if (!amount) return 'now';
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}

/** `2026-12-06 14:03` in the reader's time zone: enough to act on, short enough for a table. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function day(iso: string | undefined): string {
  return dateTime(iso).slice(0, 10);
}

export function names(identifiers: readonly string[]): string {
  return identifiers.join(', ');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
