import * as z from 'zod';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A span in a config file: seconds (`2592000`) or a number and a unit (`30d`, `12h`, `90m`, `45s`). */
export const durationSchema = z.union([
  z.int().positive(),
  z.string().regex(/^\d+[smhd]$/, { error: 'expected seconds or a number and a unit: 30d, 12h, 90m, 45s' }),
]);

/** The span in milliseconds. */
export function durationMs(value: z.infer<typeof durationSchema>): number {
  if (typeof value === 'number') return value * 1000;
  const unit = value.at(-1) as keyof typeof UNIT_SECONDS;
  return Number(value.slice(0, -1)) * UNIT_SECONDS[unit] * 1000;
}
