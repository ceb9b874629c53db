import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from './codes.js';

describe('the error code catalogue', () => {
  const documented = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  it.each(Object.values(ErrorCodes))('documents %s in docs/errors.md', (code) => {
    expect(documented).toContain(`| \`${code}\` |`);
  });
});
