import type { ResourceRecord } from '../wire/dns-message.js';

/**
 * TXT values at the end of the CNAME chain starting at `name` within one answer section, and the name where the
 * chain ended. Bounded, so a looping chain in a broken answer cannot hang a check.
 */
export function txtValuesAt(
  answers: readonly ResourceRecord[],
  name: string,
): { values: string[]; finalName: string } {
  let current = name;
  for (let hops = 0; hops < 16; hops++) {
    const cname = answers.find((record) => record.type === 'CNAME' && record.name === current);
    if (!cname) break;
    current = cname.data;
  }
  const values = answers
    .filter((record) => record.type === 'TXT' && record.name === current)
    .map((record) => record.data);
  return { values: [...new Set(values)].sort(), finalName: current };
}
