import { describe, expect, it } from 'vitest';
import { youngGenerationChosen } from './young-generation.js';

describe('youngGenerationChosen', () => {
  it('is false for a plain start', () => {
    expect(youngGenerationChosen([], {})).toBe(false);
    expect(
      youngGenerationChosen(['--enable-source-maps'], { NODE_OPTIONS: '--max-old-space-size=512' }),
    ).toBe(false);
  });

  it('is true when Node was given a semi-space size, on its command line or in NODE_OPTIONS', () => {
    expect(youngGenerationChosen(['--max-semi-space-size=4'], {})).toBe(true);
    expect(youngGenerationChosen(['--min_semi_space_size=2'], {})).toBe(true);
    // The shipped systemd unit.
    expect(youngGenerationChosen([], { NODE_OPTIONS: '--max-semi-space-size=4' })).toBe(true);
  });
});
