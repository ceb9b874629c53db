// The daemon's status page in Debian's Chromium, against the built `certkeeper run` issuing from Pebble behind
// the fault proxy. The page must show the store's certificates after real issuances, follow a live order step by
// step — its dns-01 propagation waits on a nameserver until the test publishes the TXT record (the exec plugin
// only notes what it was asked to publish), then its validation is held by the proxy — show a certificate the CA
// refuses (Pebble's domain blocklist) with its error and what to do next, filter and search, work from the keyboard, pass axe-core, and run
// under its CSP with no secret in its data.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  freePort,
  removeWorkdirs,
  startTestCa,
  type TestCa,
  workdir,
} from '../cli/support/cli-harness.js';
import { type DaemonProcess, startDaemon } from '../cli/support/daemon-process.js';
import { notedDns01 } from '../cli/support/noted-dns01.js';
import { axeViolations } from './support/axe.js';
import { type Chromium, launchChromium } from './support/chromium.js';

let dir: string;
let ca: TestCa;
let chromium: Chromium;
let daemon: DaemonProcess;
let page: Page;
let url: string;
const problems: string[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('web');
  // A 90-day lifetime like a public CA's (Pebble's default is five years); one name the CA refuses by policy.
  ca = await startTestCa(dir, {
    certificateValidityPeriodSeconds: 90 * 86_400,
    domainBlocklist: ['refused.web.test'],
  });
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  daemon?.child.kill('SIGKILL');
  await chromium?.close();
  await ca?.close();
  await removeWorkdirs();
});

/** The rows the grid renders now: names and condition badge. */
const gridRows = (): Promise<{ names: string; condition: string }[]> =>
  page.$$eval('#grid .grid-body [role=row]', (rows) =>
    rows.map((row) => ({
      names: row.querySelector('.names')?.textContent ?? '',
      condition: row.querySelector('.badge')?.textContent ?? '',
    })),
  );

/** The live order of the wildcard certificate: each step's state, its wait lines, its result. */
const liveOrder = (): Promise<{ steps: Record<string, string>; wait: string[]; state: string } | undefined> =>
  page.$$eval('#orders .order', (orders) => {
    const order = orders.find((element) => element.textContent?.includes('*.live.web.test'));
    if (!order) return undefined;
    return {
      steps: Object.fromEntries(
        [...order.querySelectorAll('.step')].map((step) => [
          step.getAttribute('data-step'),
          step.getAttribute('data-state'),
        ]),
      ),
      wait: [...order.querySelectorAll('.wait-headline, .wait-items li')].map(
        (line) => line.textContent ?? '',
      ),
      state: order.querySelector('.order-state')?.textContent ?? '',
    };
  });

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline)
      throw new Error(
        `the page never showed ${what}; it shows ${JSON.stringify(value)}\n--- daemon\n${daemon.output()}\n--- page\n${problems.join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe('the status page of `certkeeper run`', () => {
  it('shows the certificates Pebble issued, then a live order step by step until it is stored', async () => {
    const dns = await notedDns01(dir, ca, 'live.web.test');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    await writeFile(
      join(dir, 'certkeeper.yaml'),
      caConfig(
        ca,
        './data',
        `${dns.solverYaml}certificates:
  - names: [one.web.test]
  - names: [two.web.test, www.two.web.test]
    output: ./out/two
  - names: [three.web.test]
  - names: ['*.live.web.test']
  - names: [refused.web.test]
daemon:
  listen: 127.0.0.1:${port}
`,
      ),
    );
    daemon = startDaemon(['--config', 'certkeeper.yaml'], { cwd: dir });
    await daemon.waitFor(new RegExp(`status page, /metrics and /healthz on 127\\.0\\.0\\.1:${port}`));

    page = await chromium.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(url);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);

    // The three http-01 certificates are issued first (the sweep goes in config order); the wildcard's order then
    // waits for its TXT record on Pebble's nameserver, one line per nameserver.
    const waiting = await until(
      'the wildcard order waiting on propagation',
      liveOrder,
      // The step starts before its first check has anything to say: wait for the nameserver's line too.
      (order) => order?.steps.propagation === 'running' && order.wait.length >= 2,
    );
    expect(waiting!.steps).toEqual({
      order: 'done',
      'responses published': 'done',
      propagation: 'running',
      validation: 'pending',
      finalize: 'pending',
      stored: 'pending',
    });
    expect(waiting!.wait[0]).toMatch(/^Waiting for 1 of 1 authoritative nameservers to serve the record/);
    expect(waiting!.wait[1]).toContain(`the configured nameserver 127.0.0.1:${ca.pebble.dnsPort}`);
    expect(waiting!.wait[1]).toMatch(/has 0 of 1 expected value at/);
    const rows = await until(
      'three valid certificates',
      gridRows,
      (shown) => shown.filter((row) => row.condition === 'Valid').length === 3,
    );
    expect(rows.map((row) => row.names).sort()).toEqual([
      '*.live.web.test',
      'one.web.test',
      'refused.web.test',
      'three.web.test',
      'two.web.test, www.two.web.test',
    ]);
    expect(rows.find((row) => row.names === '*.live.web.test')!.condition).toBe('Not issued');

    // Hold the CA's answer to the challenge, publish the record: the order moves on to validation, where it stays.
    const hold = ca.proxy.addRule({
      kind: 'challenge',
      method: 'POST',
      times: 1,
      action: { type: 'delay', ms: 3000 },
    });
    expect((await dns.publish()).map((note) => note.fqdn)).toEqual(['_acme-challenge.live.web.test.']);
    const validating = await until(
      'the order in validation',
      liveOrder,
      (order) => order?.steps.validation === 'running',
    );
    expect(validating!.steps).toMatchObject({ order: 'done', propagation: 'done', finalize: 'pending' });
    expect(hold.fired).toBe(1);

    const issued = await until('the order stored', liveOrder, (order) => order?.steps.stored === 'done');
    expect(Object.values(issued!.steps)).toEqual(Array(6).fill('done'));
    expect(issued!.state).toBe('issued');
    await until(
      'the wildcard certificate valid',
      gridRows,
      (shown) => shown.find((row) => row.names === '*.live.web.test')?.condition === 'Valid',
    );
    expect(ca.proxy.count('finalize', 'POST')).toBe(4);

    // The refused certificate: failing, with the CA's reason and what to do next.
    await until(
      'the refused certificate failing',
      gridRows,
      (shown) => shown.find((row) => row.names === 'refused.web.test')?.condition === 'Failing',
    );
    const error = await until(
      'the refusal in the errors',
      () =>
        page
          .locator('#errors .error')
          .first()
          .textContent()
          .catch(() => ''),
      (text) => text?.includes('refused.web.test') === true,
    );
    expect(error).toMatch(/rejectedIdentifier/);
    expect(error).toMatch(/Next: the CA’s policy refuses the identifiers named above/);
    expect(problems).toEqual([]);
  });

  it('filters and searches, keeps the filters in the address, and restores them', async () => {
    await page.fill('#search', 'two');
    await until('one row for "two"', gridRows, (shown) => shown.length === 1);
    expect((await gridRows())[0]!.names).toBe('two.web.test, www.two.web.test');
    expect(await page.locator('#shown').textContent()).toBe('1 of 5 certificates');
    expect(new URL(page.url()).searchParams.get('q')).toBe('two');

    await page.fill('#search', '');
    await page.selectOption('#show', 'failing');
    await until('the failing one alone', gridRows, (shown) => shown.length === 1);
    expect((await gridRows())[0]!.names).toBe('refused.web.test');

    await page.selectOption('#show', 'valid');
    await page.selectOption('#sort', 'names');
    await until('four valid rows', gridRows, (shown) => shown.length === 4);
    expect((await gridRows()).map((row) => row.names)).toEqual([
      '*.live.web.test',
      'one.web.test',
      'three.web.test',
      'two.web.test, www.two.web.test',
    ]);

    await page.goto(`${url}?q=web&show=failing`);
    await until('the filters restored from the address', gridRows, (shown) => shown.length === 1);
    expect(await page.inputValue('#search')).toBe('web');
    expect(await page.inputValue('#show')).toBe('failing');

    // A summary tile filters too, and pressing it again shows everything.
    await page.goto(url);
    await until('five rows', gridRows, (shown) => shown.length === 5);
    await page.getByRole('button', { name: /Failing/ }).click();
    await until('the failing one alone', gridRows, (shown) => shown.length === 1);
    await page.getByRole('button', { name: /Failing/ }).click();
    await until('five rows again', gridRows, (shown) => shown.length === 5);
  });

  it('works from the keyboard: Tab reaches the list, arrows move, Enter shows the details with files and deployment', async () => {
    await page.goto(`${url}?sort=names`);
    await until('five rows', gridRows, (shown) => shown.length === 5);
    await page.focus('#sort');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('grid');
    const active = () =>
      page.$eval('#grid', (grid) => {
        const id = grid.getAttribute('aria-activedescendant');
        return id ? grid.ownerDocument.getElementById(id)?.querySelector('.names')?.textContent : undefined;
      });
    expect(await active()).toBe('*.live.web.test');
    await page.keyboard.press('End');
    expect(await active()).toBe('two.web.test, www.two.web.test');
    await page.keyboard.press('ArrowUp');
    expect(await active()).toBe('three.web.test');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const details = (await page.locator('#details').textContent()) ?? '';
    expect(details).toContain('two.web.test, www.two.web.test');
    expect(details).toMatch(/store: .*certificates/);
    expect(details).toContain(`output: ${join(dir, 'out/two')}`);
    expect(details).toContain('fullchain.pem, privkey.pem, cert.pem, chain.pem');
  });

  it('passes axe-core (WCAG 2.2 A and AA, best practices) in light and dark schemes', async () => {
    await page.goto(url);
    await until('five rows', gridRows, (shown) => shown.length === 5);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    // The check can fail: a button without a name is reported.
    await page.evaluate("document.querySelector('main').append(document.createElement('button'))");
    expect((await axeViolations(page)).join('\n')).toMatch(/^button-name \(critical\)/m);
  });

  it('serves no secret: no private key, no account key in the data; assets precompressed with ETags', async () => {
    const status = await fetch(`${url}api/status`);
    expect(status.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await status.text();
    const document = JSON.parse(text) as { certificates: { identifiers: string[] }[] };
    expect(document.certificates).toHaveLength(5);
    expect(text).not.toContain('PRIVATE KEY');
    const key = await readFile(join(dir, 'out/two/privkey.pem'), 'utf8');
    const keyBody = key.split('\n')[1]!;
    expect(keyBody.length).toBeGreaterThan(40);
    expect(text).not.toContain(keyBody);

    const index = await fetch(url, { headers: { 'accept-encoding': 'br' } });
    expect(index.headers.get('content-encoding')).toBe('br');
    const etag = index.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+-br"$/);
    const again = await fetch(url, { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    for (const header of ['x-content-type-options', 'referrer-policy', 'x-frame-options'])
      expect(index.headers.get(header), header).toBeTruthy();
  });
});
