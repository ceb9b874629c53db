import { describe, expect, it } from 'vitest';
import { encodePem, readPemBlocks, toDer } from './pem.js';

describe('PEM helpers', () => {
  const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));

  it('encodes strict RFC 7468 PEM that reads back to the same bytes', () => {
    const pem = encodePem(der, 'TEST DATA');
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN TEST DATA-----');
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith('-----END TEST DATA-----\n')).toBe(true);
    expect(readPemBlocks(`junk\n${pem}more junk`)).toEqual([{ label: 'TEST DATA', der }]);
  });

  it('marks a block with damaged or empty base64 as unreadable', () => {
    expect(readPemBlocks('-----BEGIN X-----\nAB$C\n-----END X-----')).toEqual([
      { label: 'X', der: undefined },
    ]);
    expect(readPemBlocks('-----BEGIN X-----\n\n-----END X-----')).toEqual([{ label: 'X', der: undefined }]);
  });

  it('does not pair a BEGIN with an END of another label', () => {
    expect(readPemBlocks('-----BEGIN A-----\nAAAA\n-----END B-----')).toEqual([]);
  });

  it('finds the DER of the first block with a wanted label, or passes bytes through', () => {
    const text = `${encodePem(new Uint8Array([1]), 'OTHER')}${encodePem(new Uint8Array([2]), 'WANTED')}`;
    expect(toDer(text, ['WANTED'])).toEqual(new Uint8Array([2]));
    expect(toDer(text, ['MISSING'])).toBeUndefined();
    expect(toDer(Buffer.from([3]), ['ANY'])).toEqual(new Uint8Array([3]));
  });
});
