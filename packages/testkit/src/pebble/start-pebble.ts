import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { harnessError } from '../harness-error.js';
import { onProcessExit } from '../process/exit-cleanup.js';
import { findExecutable } from '../process/find-executable.js';
import { createTestTls } from '../tls/test-tls.js';
import { httpsGet, httpsRequest } from './https-get.js';
import { type LaunchedPebble, launchPebble } from './launch-pebble.js';
import { pebbleBinaries } from './pebble-binaries.js';
import type { PebbleHandle, StartPebbleOptions } from './pebble-options.js';

// Each retry only follows a lost port race, which needs two test files to pick the same port in the same
// millisecond window: three attempts make a spurious failure practically impossible.
const maxAttempts = 3;

/**
 * Starts a private Pebble (the ACME test CA) and pebble-challtestsrv (its mock DNS) on free loopback ports.
 *
 * - Pebble's listener gets a fresh throwaway CA and certificate: trust {@link PebbleHandle.caBundlePem}.
 * - Pebble resolves every name through challtestsrv, which answers A questions with 127.0.0.1 by default, so
 *   the VA reaches http-01/tls-alpn-01 responders listening on 127.0.0.1 at `httpPort` / `tlsPort`.
 * - Defaults: `PEBBLE_VA_NOSLEEP=1`, `PEBBLE_WFE_NONCEREJECT=0` (see {@link StartPebbleOptions.env}).
 *
 * Resolves once both servers answer; rejects with a `CERTKEEPER_ERR_TEST_HARNESS` error that carries both
 * servers' output otherwise. The caller MUST call `stop()` (in `afterAll`); if it does not, the servers are
 * killed when the Node process exits.
 */
export async function startPebble(options: StartPebbleOptions = {}): Promise<PebbleHandle> {
  const startedAt = performance.now();
  checkOptions(options);
  const binaries = resolveBinaries(options);
  const tls = await createTestTls({ commonName: 'certkeeper Pebble listener' });
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-pebble-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const forgetDir = onProcessExit(removeDir);
  const files = { certificate: join(dir, 'listener.crt.pem'), privateKey: join(dir, 'listener.key.pem') };
  const macKeys = options.externalAccountBinding
    ? (options.externalAccountBinding.macKeys ?? { 'kid-test-1': randomBytes(32).toString('base64url') })
    : {};

  let launched: LaunchedPebble | undefined;
  try {
    await writeFile(files.certificate, tls.certificatePem);
    await writeFile(files.privateKey, tls.privateKeyPem, { mode: 0o600 });
    for (let attempt = 1; launched === undefined; attempt++) {
      const result = await launchPebble({
        dir,
        files,
        binaries,
        caPem: tls.caCertificatePem,
        macKeys,
        options,
      });
      if (result.ok) launched = result.launched;
      else if (!result.portConflict || attempt >= maxAttempts) throw result.error;
    }
  } catch (error) {
    removeDir();
    forgetDir();
    throw error;
  }

  const running = launched;
  let stopping: Promise<void> | undefined;
  const management = async (path: string) => {
    const response = await httpsGet(`${running.managementUrl}${path}`, tls.caCertificatePem);
    if (response.status !== 200) {
      throw harnessError(
        `Pebble's management API answered HTTP ${response.status} to GET ${path}: ${response.body.trim()}`,
        'Indexes above 0 exist only with PEBBLE_ALTERNATE_ROOTS set in the harness env.',
      );
    }
    return response.body;
  };
  return {
    directoryUrl: running.directoryUrl,
    caBundlePem: tls.caCertificatePem,
    managementUrl: running.managementUrl,
    httpPort: running.httpPort,
    tlsPort: running.tlsPort,
    dnsPort: running.dnsPort,
    challtestsrv: running.challtestsrvClient,
    externalAccountKeys: macKeys,
    pids: { pebble: running.pebble.pid, challtestsrv: running.challtestsrv.pid },
    configDir: dir,
    startupMs: Math.round(performance.now() - startedAt),
    version: binaries.version,
    rootCertificatePem: (index = 0) => management(`/roots/${index}`),
    intermediateCertificatePem: (index = 0) => management(`/intermediates/${index}`),
    certificateStatus: async (serialHex) =>
      JSON.parse(await management(`/cert-status-by-serial/${serialHex}`)) as {
        Status: string;
        Reason?: number;
      },
    async setRenewalInfo(certificatePem, ariResponse) {
      const response = await httpsRequest(
        `${running.managementUrl}/set-renewal-info/`,
        tls.caCertificatePem,
        {
          method: 'POST',
          body: JSON.stringify({ Certificate: certificatePem, ARIResponse: ariResponse }),
        },
      );
      if (response.status !== 200) {
        throw harnessError(
          `Pebble's management API answered HTTP ${response.status} to POST /set-renewal-info/: ${response.body.trim()}`,
          'Pass the PEM of a certificate this Pebble issued (its leaf, first in the chain).',
        );
      }
    },
    logs: () => ({ pebble: running.pebble.output.text(), challtestsrv: running.challtestsrv.output.text() }),
    stop() {
      stopping ??= Promise.all([running.pebble.stop(), running.challtestsrv.stop()]).then(() => {
        removeDir();
        forgetDir();
      });
      return stopping;
    },
  };
}

/**
 * The binaries a start uses: those named in the options (checked to exist), else the installed Pebble 2.10 (see
 * {@link pebbleBinaries}), whose absence fails with a message saying to run scripts/setup.sh.
 */
function resolveBinaries(options: StartPebbleOptions): {
  readonly pebble: string;
  readonly challtestsrv: string;
  readonly version: string;
} {
  if (options.pebbleBinary === undefined && options.challtestsrvBinary === undefined) return pebbleBinaries();
  const installed = () => pebbleBinaries();
  const pebble = options.pebbleBinary ?? installed().pebble;
  const challtestsrv = options.challtestsrvBinary ?? installed().challtestsrv;
  for (const binary of [pebble, challtestsrv]) {
    if (findExecutable(binary) === undefined) {
      throw harnessError(
        `The Pebble harness cannot start: ${binary} could not be started (not found or not executable).`,
        'Run scripts/setup.sh, which unpacks Pebble 2.10 into /usr/local/lib/certkeeper-pebble, or pass pebbleBinary/challtestsrvBinary.',
      );
    }
  }
  return { pebble, challtestsrv, version: options.pebbleBinary ? 'as given' : installed().version };
}

function checkOptions(options: StartPebbleOptions): void {
  for (const name of ['httpPort', 'tlsPort'] as const) {
    const port = options[name];
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `startPebble: ${name} ${port} is not a TCP port.`,
        {
          hint: 'Pass an integer from 1 to 65535, or leave it out to get a free port.',
        },
      );
    }
  }
  if (
    options.dnsServer !== undefined &&
    !/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/.test(options.dnsServer)
  ) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `startPebble: dnsServer "${options.dnsServer}" is not an IP address and port.`,
      { hint: 'Pass "127.0.0.1:5353" or "[::1]:5353", the address of a DNS server the test started.' },
    );
  }
  if (options.httpPort !== undefined && options.httpPort === options.tlsPort) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `startPebble: httpPort and tlsPort are both ${options.httpPort}.`,
      { hint: 'Give http-01 and tls-alpn-01 different ports.' },
    );
  }
}
