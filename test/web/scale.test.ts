// 10 000 certificates in Chromium: the list renders the rows in view only, and filters, search, sort and the
// keyboard work across all of them. The fleet is synthetic (test/web/support/synthetic-report.ts); the page and
// its server are the real ones.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, launchChromium } from './support/chromium.js';
import { type PageServer, servePage } from './support/page-server.js';
import { syntheticReport } from './support/synthetic-report.js';

let chromium: Chromium;
let server: PageServer;
let page: Page;
const report = syntheticReport(10_000);

beforeAll(async () => {
  chromium = await launchChromium();
  server = await servePage(async () => report);
  page = await chromium.context.newPage();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await chromium?.close();
});

const domRows = () => page.locator('#grid .grid-body [role=row]').count();

describe('the status page with 10 000 certificates', () => {
  it('renders a few dozen rows, not 10 000, and filters, searches and navigates across all of them', async () => {
    await page.goto(server.url);
    await page.locator('#shown', { hasText: '10,000 certificates' }).waitFor();
    expect(await page.locator('#grid').getAttribute('aria-rowcount')).toBe('10001');
    expect(await domRows()).toBeGreaterThan(5);
    expect(await domRows()).toBeLessThan(60);
    expect(await page.locator('#timeline svg.histogram rect.bar').count()).toBeGreaterThan(10);

    // The last row, from the keyboard: still a few dozen rows in the DOM, the last one among them.
    await page.locator('#grid').focus();
    await page.keyboard.press('End');
    const last = report.certificates.length + 1;
    await page.locator(`#grid [role=row][aria-rowindex="${last}"]`).waitFor();
    expect(await domRows()).toBeLessThan(60);

    const failing = report.certificates.filter((certificate) => certificate.lastError).length;
    expect(failing).toBeGreaterThan(10);
    await page.selectOption('#show', 'failing');
    await page.locator('#shown', { hasText: `${failing} of 10,000 certificates` }).waitFor();
    expect(await page.locator('#grid').getAttribute('aria-rowcount')).toBe(String(failing + 1));

    const wanted = report.certificates[4321]!.identifiers[0]!;
    await page.selectOption('#show', 'all');
    await page.fill('#search', wanted);
    await page.locator('#shown', { hasText: /^1 of 10,000 certificates$/ }).waitFor();
    expect(await page.locator('#grid .grid-body .names').first().textContent()).toContain(wanted);
  });
});
