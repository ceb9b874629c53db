// Debian's Chromium, driven headless by playwright-core (`npx playwright install` cannot download browsers
// here): one fresh profile per launch, no network beyond what the page asks for.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CERTKEEPER_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launch headless Chromium with a fresh user-data directory, removed on close. */
export async function launchChromium(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Chromium> {
  await access(CHROMIUM).catch(() => {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (scripts/setup.sh installs it).`,
    );
  });
  const profile = await mkdtemp(join(tmpdir(), 'certkeeper-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 1000 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
