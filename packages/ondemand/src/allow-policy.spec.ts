import { describe, expect, it } from 'vitest';
import { compileAllowPolicy } from './allow-policy.js';

describe('compileAllowPolicy', () => {
  it('matches exact names and one-label patterns, normalised like certificate names', () => {
    const allow = compileAllowPolicy(['App.Example.test.', '*.customers.example.test']);
    expect(allow('app.example.test')).toBe(true);
    expect(allow('shop.customers.example.test')).toBe(true);
    // A pattern covers exactly one more label, as a certificate wildcard does; not the parent itself.
    expect(allow('a.b.customers.example.test')).toBe(false);
    expect(allow('customers.example.test')).toBe(false);
    expect(allow('www.app.example.test')).toBe(false);
    expect(allow('evilcustomers.example.test')).toBe(false);
  });

  it('takes a single name or pattern as a string', () => {
    expect(compileAllowPolicy('*.example.test')('a.example.test')).toBe(true);
    expect(compileAllowPolicy('one.example.test')('two.example.test')).toBe(false);
  });

  it('refuses a pattern over a whole top-level domain, and invalid entries, when compiled', () => {
    expect(() => compileAllowPolicy(['*.com'])).toThrow(/top-level domain/);
    expect(() => compileAllowPolicy(['bad name.test'])).toThrow(/CERTKEEPER|not valid/);
  });

  it('passes a function through unchanged', () => {
    const ask = async (name: string) => name === 'yes.example.test';
    expect(compileAllowPolicy(ask)).toBe(ask);
  });
});
