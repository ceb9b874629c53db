import { describe, expect, it } from 'vitest';
import { contactProblem } from './contact-address.js';

describe('contactProblem (RFC 8555 §7.3 contacts)', () => {
  it.each([
    'mailto:ops@example.com',
    'MAILTO:ops@example.com',
    'mailto:first.last+acme@mail.example.co.uk',
    'mailto:ops%2Bcerts@example.com',
    "mailto:o'brien@example.com",
    'mailto:ops@bücher.example',
  ])('accepts %s', (uri) => {
    expect(contactProblem(uri)).toBeUndefined();
  });

  it.each([
    ['ops@example.com', 'not a mailto: URI'],
    ['tel:+15555550100', 'not a mailto: URI'],
    ['mailto:', 'names no address'],
    ['mailto:ops@example.com?subject=hi', 'header fields'],
    ['mailto:a@example.com,b@example.com', 'more than one address'],
    ['mailto:a@example.com%2Cb@example.com', 'more than one address'],
    ['mailto:ops', 'name@domain'],
    ['mailto:@example.com', 'name@domain'],
    ['mailto:ops@', 'name@domain'],
    ['mailto:ops @example.com', 'whitespace'],
    ['mailto:ops..x@example.com', 'not a plain address'],
    ['mailto:.ops@example.com', 'not a plain address'],
    ['mailto:"ops"@example.com', 'not a plain address'],
    ['mailto:ops@localhost', 'not a mail domain'],
    ['mailto:ops@*.example.com', 'not a mail domain'],
    ['mailto:ops@exa_mple.com', 'is not valid'],
    ['mailto:ops@%E0%A4%A', 'percent-encoding'],
    [`mailto:${'a'.repeat(65)}@example.com`, 'longer than 64'],
    [`mailto:a@${`${'b'.repeat(62)}.`.repeat(4)}com`, 'longer than 254'],
  ])('refuses %s (%s)', (uri, reason) => {
    expect(contactProblem(uri)).toContain(reason);
  });
});
