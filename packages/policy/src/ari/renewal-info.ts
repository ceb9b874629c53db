import { type AcmeClient, CertkeeperError, type Clock, ErrorCodes, systemClock } from '@certkeeper/core';
import type { CertificateRecord, RenewalInfo, Store } from '@certkeeper/store';

export interface AriServiceOptions {
  readonly client: AcmeClient;
  readonly store: Store;
  readonly clock?: Clock;
  /** Uniform randomness in [0, 1) for the moment chosen inside the window (injectable for tests). */
  readonly random?: () => number;
}

const MAX_REFRESH_MS = 12 * 3_600_000; // "check at least twice a day"
const MIN_REFRESH_MS = 60_000;
const DEFAULT_REFRESH_MS = 6 * 3_600_000;

/**
 * ARI (RFC 9773): the CA's suggested renewal window for a certificate. The window is fetched only when the stored one
 * is due for refresh (its Retry-After, at most 12 h), a moment is chosen uniformly at random inside it — and kept
 * while the window stays the same, so every worker agrees — and the result is stored with the certificate.
 */
export class AriService {
  constructor(private readonly options: AriServiceOptions) {}

  /** Whether the CA offers ARI at all (directory `renewalInfo`). */
  async supported(): Promise<boolean> {
    return (await this.options.client.directory()).renewalInfo !== undefined;
  }

  /**
   * Refresh the stored window if it is due (or `force`), store it, and return the record. A certificate from another
   * CA or account is returned unchanged: its ARI id means nothing to this CA.
   */
  async refresh(record: CertificateRecord, force = false): Promise<CertificateRecord> {
    const { client, store } = this.options;
    const now = (this.options.clock ?? systemClock).now();
    if (
      !record.ariCertId ||
      record.directoryUrl !== client.directoryUrl ||
      record.accountUrl !== client.accountUrl
    )
      return record;
    if (!force && record.renewalInfo && Date.parse(record.renewalInfo.refreshAt) > now.getTime())
      return record;
    const directory = await client.directory();
    if (!directory.renewalInfo) return record;
    const response = await client.transport.get<{
      suggestedWindow?: { start?: string; end?: string };
      explanationURL?: string;
    }>(`${directory.renewalInfo.replace(/\/$/, '')}/${record.ariCertId}`, 'renewalInfo');
    const window = response.body?.suggestedWindow;
    const start = Date.parse(window?.start ?? '');
    const end = Date.parse(window?.end ?? '');
    if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
      throw new CertkeeperError(
        ErrorCodes.PROTOCOL,
        `The CA's renewalInfo for ${record.ariCertId} has no valid suggestedWindow.`,
      );
    }
    const previous = record.renewalInfo;
    const sameWindow =
      previous && Date.parse(previous.windowStart) === start && Date.parse(previous.windowEnd) === end;
    // RFC 9773 §4.2: pick a uniformly random time in the window; if the window is already past, renew now.
    const chosen = sameWindow
      ? Date.parse(previous.chosenAt)
      : end <= now.getTime()
        ? now.getTime()
        : Math.max(start, now.getTime()) +
          (this.options.random ?? Math.random)() * (end - Math.max(start, now.getTime()));
    const retryAfterMs = response.retryAfter
      ? response.retryAfter.getTime() - now.getTime()
      : DEFAULT_REFRESH_MS;
    const renewalInfo: RenewalInfo = {
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(end).toISOString(),
      chosenAt: new Date(chosen).toISOString(),
      ...(response.body.explanationURL ? { explanationUrl: response.body.explanationURL } : {}),
      refreshAt: new Date(
        now.getTime() + Math.min(MAX_REFRESH_MS, Math.max(MIN_REFRESH_MS, retryAfterMs)),
      ).toISOString(),
      fetchedAt: now.toISOString(),
    };
    const updated = { ...record, renewalInfo };
    await store.putCertificate(updated);
    return updated;
  }
}
