import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import type { AccessGuard, LiveFeed, StatusPage } from '@certkeeper/web';
import { allStatus } from '../runtime/all-status.js';
import type { Runtime } from '../runtime/open-runtime.js';
import type { GlobalFlags } from '../settings/global-flags.js';
import type { ListenAddress } from '../settings/listen-address.js';
import type { Settings } from '../settings/settings.js';

/** What the daemon's HTTP server serves besides /metrics and /healthz, and who may read it. */
export interface DaemonSite {
  readonly page: StatusPage;
  readonly guard: AccessGuard;
  /** The page's live state; the daemon's reporter feeds it. */
  readonly feed: LiveFeed;
  readonly securityHeaders: Readonly<Record<string, string>>;
  close(): void;
}

/**
 * Load @certkeeper/web — only here, when the daemon serves: `renew` and `status` never pay for it — and compose
 * the page over the same report as `certkeeper status`: every CA and account in the store (unless the daemon was
 * started with `--ca` or `--account`), configured certificates first. Refuses to serve beyond loopback without
 * `daemon.auth`.
 */
export async function openDaemonSite(
  settings: Settings,
  runtime: Runtime,
  listen: ListenAddress,
  redactor: SecretRedactor,
  flags: Pick<GlobalFlags, 'ca' | 'account'>,
): Promise<DaemonSite> {
  const web = await import('@certkeeper/web');
  const { auth } = settings.daemon;
  const loopback =
    listen.host !== undefined && (listen.host === 'localhost' || web.isLoopbackAddress(listen.host));
  if (!loopback && !auth)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `daemon.listen ${listen.host ?? '(every address)'}:${listen.port} is reachable from other machines, and daemon.auth is not set: the status page, /api and /metrics would be open to anyone who can connect. Nothing was started.`,
      {
        hint: 'set daemon.auth.token (a { env } or { file } secret; openssl rand -hex 32) or daemon.auth.proxy, or listen on 127.0.0.1.',
      },
    );
  const guard = new web.AccessGuard({
    loopback,
    ...(auth?.token ? { token: auth.token } : {}),
    ...(auth?.proxy ? { proxy: auth.proxy } : {}),
  });
  const feed = new web.LiveFeed();
  const page = await web.StatusPage.create({
    report: () => allStatus(settings, runtime, flags),
    feed,
    guard,
    // The page is an output like stdout: every secret resolved from the configuration is scrubbed from it.
    redact: (text) => redactor.redact(text),
  });
  return {
    page,
    guard,
    feed,
    securityHeaders: web.SECURITY_HEADERS,
    close: () => {
      page.close();
      feed.close();
    },
  };
}
