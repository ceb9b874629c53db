import { resolve } from 'node:path';
import { type CertificateRecord, certificateFiles, FileLocks } from '@certkeeper/store';
import type { DeployResult } from '../output/reporter.js';
import type { CertificateSpec } from '../settings/settings.js';
import { runDeployHook } from './run-hook.js';
import { writeOutput } from './write-output.js';

export interface DeployerOptions {
  readonly storeDirectory: string;
  /** The hook for certificates without their own (`defaults.deployHook`). */
  readonly defaultHook?: readonly string[];
  readonly hookTimeoutMs: number;
}

/**
 * After a certificate is issued or renewed: copy it to its `output` directory (if any), then run its deploy hook
 * (if any) with these variables — the contract hooks rely on, documented in the README:
 *
 * CERTKEEPER_EVENT (issued|renewed), CERTKEEPER_NAMES (comma-separated), CERTKEEPER_PRIMARY_NAME,
 * CERTKEEPER_CERT_DIR, CERTKEEPER_FULLCHAIN, CERTKEEPER_PRIVKEY (not for an external key), CERTKEEPER_CERT, CERTKEEPER_CHAIN,
 * CERTKEEPER_NOT_AFTER (ISO 8601), CERTKEEPER_SERIAL (hex).
 */
export class Deployer {
  private readonly locks: FileLocks;

  constructor(private readonly options: DeployerOptions) {
    // The store's lock directory: a daemon and a cron `renew` switching one output directory take turns.
    this.locks = new FileLocks(resolve(options.storeDirectory, 'locks'));
  }

  get defaultHook(): readonly string[] | undefined {
    return this.options.defaultHook;
  }

  async deploy(
    spec: CertificateSpec | undefined,
    record: CertificateRecord,
    event: 'issued' | 'renewed',
  ): Promise<DeployResult> {
    const output = spec?.output;
    const files = output
      ? await this.locks.withLock(`output:${resolve(output)}`, () => writeOutput(output, record))
      : certificateFiles(this.options.storeDirectory, record.key);
    const names = spec?.names ?? record.identifiers.map((identifier) => identifier.value);
    const hook = spec?.deployHook ?? this.options.defaultHook;
    // An external key (the caller's own CSR): no privkey.pem anywhere, and no variable naming one.
    const privkey = record.keyPem !== undefined ? files.privkey : undefined;
    const base = {
      files: { fullchain: files.fullchain, ...(privkey ? { privkey } : {}) },
      wroteOutput: !!spec?.output,
    };
    if (!hook) return base;
    const { ms } = await runDeployHook(
      hook,
      {
        CERTKEEPER_EVENT: event,
        CERTKEEPER_NAMES: names.join(','),
        CERTKEEPER_PRIMARY_NAME: names[0] ?? '',
        CERTKEEPER_CERT_DIR: files.directory,
        CERTKEEPER_FULLCHAIN: files.fullchain,
        ...(privkey ? { CERTKEEPER_PRIVKEY: privkey } : {}),
        CERTKEEPER_CERT: files.cert,
        CERTKEEPER_CHAIN: files.chain,
        CERTKEEPER_NOT_AFTER: record.notAfter,
        CERTKEEPER_SERIAL: record.serialNumberHex,
      },
      this.options.hookTimeoutMs,
    );
    return { ...base, hook: { command: hook, ms } };
  }
}
