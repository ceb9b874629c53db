/**
 * `pnpm screenshots`: the status page's pictures in docs/images/, regenerated. The empty page, three certificates
 * and a failing one come from the built `certkeeper run` issuing from a local Pebble (90-day certificates; one name
 * on Pebble's blocklist; a wildcard whose dns-01 record is never published, so its order stays in propagation); the
 * 10 000-certificate view uses the synthetic fleet of the benchmark.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  caConfig,
  ensureCliBuilt,
  freePort,
  removeWorkdirs,
  repoRoot,
  startTestCa,
  workdir,
} from '../cli/support/cli-harness.js';
import { startDaemon } from '../cli/support/daemon-process.js';
import { launchChromium } from './support/chromium.js';
import { servePage } from './support/page-server.js';
import { syntheticReport } from './support/synthetic-report.js';

const images = join(repoRoot, 'docs/images');

async function main(): Promise<void> {
  await ensureCliBuilt();
  await mkdir(images, { recursive: true });
  const dir = await workdir('screenshots');
  const ca = await startTestCa(dir, {
    certificateValidityPeriodSeconds: 90 * 86_400,
    domainBlocklist: ['legacy.acme.test'],
  });
  const chromium = await launchChromium();
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  const dns = `  - type: dns-01
    provider: exec
    options:
      program: /bin/true
    zones: [acme.test]
    nameservers: [127.0.0.1:${ca.pebble.dnsPort}]
`;
  const three = `  - names: [shop.acme.test, www.shop.acme.test]
  - names: [api.acme.test]
  - names: [mail.acme.test]
    output: ./tls/mail
`;
  try {
    await shoot(
      page,
      dir,
      'status-page-empty.png',
      caConfig(ca, './store-empty', `${dns}certificates: []\n`),
      (p) => p.getByText('No certificates configured or stored yet').waitFor(),
    );
    await shoot(
      page,
      dir,
      'status-page-3-certificates.png',
      caConfig(ca, './store', `${dns}certificates:\n${three}`),
      (p) =>
        p
          .locator('#shown', { hasText: /^3 certificates$/ })
          .waitFor()
          .then(() => valid(p, 3)),
    );
    // Same store, two more certificates: one the CA refuses, one waiting for its DNS record.
    await shoot(
      page,
      dir,
      'status-page-failing.png',
      caConfig(
        ca,
        './store',
        `${dns}certificates:\n${three}  - names: [legacy.acme.test]\n  - names: ['*.acme.test']\n`,
      ),
      async (p) => {
        await p.locator('#errors .error', { hasText: 'legacy.acme.test' }).waitFor({ timeout: 60_000 });
        await p.locator('#orders .step-running', { hasText: 'propagation' }).waitFor({ timeout: 60_000 });
        await p.locator('#grid .badge.cond-failing').waitFor({ timeout: 60_000 });
      },
    );
    const fleet = await servePage(async () => syntheticReport(10_000));
    try {
      await page.goto(fleet.url);
      await page.locator('#shown', { hasText: '10,000 certificates' }).waitFor();
      await save(page, 'status-page-10000-certificates.png');
    } finally {
      await fleet.close();
    }
  } finally {
    await chromium.close();
    await ca.close();
    await removeWorkdirs();
  }
}

async function shoot(
  page: Page,
  dir: string,
  name: string,
  config: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<void> {
  const port = await freePort();
  await writeFile(join(dir, `${name}.yaml`), `${config}daemon:\n  listen: 127.0.0.1:${port}\n`);
  const daemon = startDaemon(['--config', `${name}.yaml`], { cwd: dir });
  try {
    await daemon.waitFor(/status page, \/metrics and \/healthz on/);
    await page.goto(`http://127.0.0.1:${port}/`);
    await ready(page).catch((error: unknown) => {
      throw new Error(`${name}: ${error instanceof Error ? error.message : error}\n${daemon.output()}`);
    });
    await save(page, name);
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
}

async function valid(page: Page, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await page.locator('#grid .badge.cond-valid').count()) !== count) {
    if (Date.now() > deadline) throw new Error(`the page never showed ${count} valid certificates`);
    await page.waitForTimeout(100);
  }
}

async function save(page: Page, name: string): Promise<void> {
  // Let the last redraw settle (the list draws on the next animation frame).
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(images, name), fullPage: false });
  console.log(`docs/images/${name}`);
}

await main();
