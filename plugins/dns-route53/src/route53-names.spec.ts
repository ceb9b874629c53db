import { describe, expect, it } from 'vitest';
import { fromRoute53Name, toRoute53Name } from './route53-names.js';

describe('Route 53 names', () => {
  it('sends absolute names', () => {
    expect(toRoute53Name('_acme-challenge.example.test')).toBe('_acme-challenge.example.test.');
    expect(toRoute53Name('example.test.')).toBe('example.test.');
  });

  it('reads octal escapes, case and the trailing dot back to the canonical form', () => {
    expect(fromRoute53Name('\\052.Example.TEST.')).toBe('*.example.test');
    expect(fromRoute53Name('_acme-challenge.example.test.')).toBe('_acme-challenge.example.test');
  });
});
