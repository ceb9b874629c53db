import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The rules the page must pass: WCAG 2.2 levels A and AA (contrast, names, keyboard), and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Run axe-core (from node_modules, not a CDN) in the page and return its violations, one line each. It is
 * evaluated through the DevTools protocol, which the page's CSP does not govern: the page itself still runs under
 * its policy.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(axePath, 'utf8'));
  // A string, run in the page: this file is compiled without the DOM's types.
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } });
    return result.violations.map((violation) =>
      violation.id + ' (' + violation.impact + '): ' + violation.help + ' — ' +
      violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('; '));
  })()`) as Promise<string[]>;
}
