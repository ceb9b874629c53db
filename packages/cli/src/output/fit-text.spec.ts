import { describe, expect, it } from 'vitest';
import { outputWidth, shortPath, wrapText } from './fit-text.js';

describe('fit-text', () => {
  it('lays out in the terminal’s columns, else $COLUMNS, else 80', () => {
    expect(outputWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(outputWidth({ isTTY: false, columns: 120 }, {})).toBe(80);
    expect(outputWidth({}, { COLUMNS: '100' })).toBe(100);
    expect(outputWidth({}, { COLUMNS: 'x' })).toBe(80);
  });

  it('wraps at spaces and cuts a word longer than a line, never exceeding the width', () => {
    const lines = wrapText(`one two three ${'x'.repeat(30)} four`, 20, 4, 0);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toBe('one two three');
    expect(lines.at(-1)).toMatch(/^ {4}\S+ four$|^ {4}four$/);
  });

  it('shortens paths: ./ under the working directory, ~ under home, … in the middle when still too wide', () => {
    expect(shortPath('/srv/app/data/live/a/', 80, '/home/u', '/srv/app')).toBe('./data/live/a/');
    expect(shortPath('/home/u/certs/', 80, '/home/u', '/srv')).toBe('~/certs/');
    const long = shortPath(`/var/lib/${'d'.repeat(100)}/end/`, 40, '', '');
    expect(long).toHaveLength(40);
    expect(long).toContain('…');
    expect(long.endsWith('/end/')).toBe(true);
  });
});
