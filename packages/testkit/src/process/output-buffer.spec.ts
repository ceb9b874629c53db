import { describe, expect, it } from 'vitest';
import { OutputBuffer } from './output-buffer.js';

describe('OutputBuffer', () => {
  it('stays within its bound, dropping whole old lines first', () => {
    const buffer = new OutputBuffer(20);
    buffer.append('line one\nline two\n');
    buffer.append('line three\n');
    expect(buffer.text().length).toBeLessThanOrEqual(20);
    expect(buffer.text()).toBe('line three\n');
    expect(buffer.tail(1)).toBe('line three');
  });
});
