/** `2026-12-01 10:00Z`: minutes are enough for renewal times, and UTC avoids asking which zone. */
export function formatTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime())
    ? String(value)
    : `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** `in 59 d`, `in 3 h`, `5 min ago`: how far a time is from now, roughly. */
export function formatDistance(value: string | Date, now: Date): string {
  const ms = (typeof value === 'string' ? Date.parse(value) : value.getTime()) - now.getTime();
  const abs = Math.abs(ms);
  const text =
    abs >= 2 * 86_400_000
      ? `${Math.round(abs / 86_400_000)} d`
      : abs >= 2 * 3_600_000
        ? `${Math.round(abs / 3_600_000)} h`
        : abs >= 60_000
          ? `${Math.round(abs / 60_000)} min`
          : `${Math.round(abs / 1000)} s`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** `13:45:12 UTC`: a time within the next minutes (a lease's end), to the second. */
export function formatClock(value: Date): string {
  return `${value.toISOString().slice(11, 19)} UTC`;
}

/** `12 s`, `3 min 05 s`, `1 h 02 min`: how long something has been running, to the second while that matters. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${pad(Math.floor(seconds / 60) % 60)} min`;
}
