import { brotliCompressSync, gzipSync } from 'node:zlib';
import { launchChromium } from '../web/support/chromium.js';
import { servePage } from '../web/support/page-server.js';
import { syntheticReport } from '../web/support/synthetic-report.js';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

/**
 * The daemon's status page with 10 000 certificates in Debian's Chromium: from navigation to the list drawn with
 * every certificate counted (the server already holds its snapshot, as a running daemon does), over 5 fresh page
 * loads; the size of /api/status; what one search costs. A benchmark that prints figures, not a timed test.
 */
export async function benchStatusPage(emit: Emit, count = 10_000): Promise<void> {
  const report = syntheticReport(count);
  const server = await servePage(async () => report);
  const chromium = await launchChromium();
  try {
    const json = Buffer.from(await (await fetch(`${server.url}api/status`)).text());
    emit('status-page-api-size', {
      certificates: count,
      bytes: json.length,
      gzipBytes: gzipSync(json, { level: 6 }).length,
      brotliBytes: brotliCompressSync(json).length,
    });
    const firstRender: number[] = [];
    let domRows = 0;
    for (let run = 0; run < 5; run++) {
      const page = await chromium.context.newPage();
      await page.goto(server.url, { waitUntil: 'commit' });
      // Checked every frame, in the page (a string through DevTools: the page's CSP forbids eval of its own).
      const drawnAt = await page.evaluate(`new Promise((resolve) => {
        const drawn = () =>
          document.querySelectorAll('#grid .grid-body [role=row]').length > 0 &&
          document.getElementById('shown')?.textContent === '${count.toLocaleString('en')} certificates';
        const check = () => (drawn() ? resolve(performance.now()) : requestAnimationFrame(check));
        check();
      })`);
      firstRender.push(drawnAt as number);
      domRows = await page.locator('#grid .grid-body [role=row]').count();
      if (run === 4) {
        // One search over all of them: from the input event to the list redrawn (after the 120 ms typing pause).
        const ms = await page.evaluate(`new Promise((resolve) => {
          const shown = document.getElementById('shown');
          const input = document.getElementById('search');
          const start = performance.now();
          new MutationObserver(() => resolve(performance.now() - start)).observe(shown, { childList: true, characterData: true, subtree: true });
          input.value = 'shop';
          input.dispatchEvent(new Event('input'));
        })`);
        emit('status-page-search', { certificates: count, ms: Math.round(ms as number), debounceMs: 120 });
      }
      await page.close();
    }
    const sorted = [...firstRender].sort((a, b) => a - b);
    emit('status-page-first-render', {
      certificates: count,
      medianMs: Math.round(sorted[2]!),
      maxMs: Math.round(sorted[4]!),
      runs: firstRender.map(Math.round),
      domRows,
    });
  } finally {
    await chromium.close();
    await server.close();
  }
}
