import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type CertificateKeyType,
  CertkeeperError,
  ErrorCodes,
  type ExternalAccountBinding,
  isCertificateKeyType,
  processSecretRedactor,
  type SecretRedactor,
} from '@certkeeper/core';
import { letsEncryptRateLimits, noRateLimits, rateLimitsFor } from '@certkeeper/policy';
import { defaultStoreDirectory } from '@certkeeper/store';
import { CA_DIRECTORIES, DEFAULT_CA, directoryUrlOf, stagingDirectoryOf } from '../config/ca-directories.js';
import { configInvalid } from '../config/config-error.js';
import type { CertkeeperConfig } from '../config/config-schema.js';
import { type ConfigPath, formatPath } from '../config/config-source.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { resolveSecret } from '../config/secret-reference.js';
import { DEFAULT_CONCURRENCY } from './concurrency.js';
import { located, where } from './config-location.js';
import { withConfiguredCsrs } from './configured-csr.js';
import { resolveDaemonAuth } from './daemon-auth.js';
import { durationMs } from './duration.js';
import type { GlobalFlags } from './global-flags.js';
import { parseListenAddress } from './listen-address.js';
import { codeOf, type NameProblem, nameProblems } from './name-checks.js';
import { readPemSetting } from './read-pem-setting.js';
import type { CertificateSpec, Settings } from './settings.js';
import { solverSpecs } from './solver-specs.js';

export interface ResolveContext {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly warn: (message: string) => void;
  /** Every secret resolved (the EAB HMAC key) is registered with it; the process's by default. */
  readonly redactor?: SecretRedactor;
}

/** The config file to read: `--config`, `$CERTKEEPER_CONFIG`, else `./certkeeper.yaml` when it exists. */
export async function configFileOf(flags: GlobalFlags, context: ResolveContext): Promise<string | undefined> {
  const named = flags.config ?? context.env.CERTKEEPER_CONFIG;
  if (named) return resolve(context.cwd, named);
  const local = resolve(context.cwd, 'certkeeper.yaml');
  return (await access(local).then(
    () => true,
    () => false,
  ))
    ? local
    : undefined;
}

/**
 * Merge the config file and the flags (flags win) into checked Settings: the CA directory URL, the CA bundle
 * read, secrets resolved, key types known, solver addresses parsed. Everything that can be checked without the
 * network is checked here, so bad input fails before any order.
 */
export async function resolveSettings(flags: GlobalFlags, context: ResolveContext): Promise<Settings> {
  const file = await configFileOf(flags, context);
  const loaded = file ? await loadConfig(file) : undefined;
  const config: CertkeeperConfig = loaded?.config ?? {};
  const base = loaded?.directory ?? context.cwd;
  const at = (path: ConfigPath, flag?: string) => (flag ? flag : where(loaded, path));
  const problems: string[] = [];
  const problem = (location: string, path: ConfigPath | undefined, message: string) =>
    problems.push(`${location}${path ? ` ${formatPath(path)}` : ''}: ${message}`);

  const caInput = flags.ca ?? config.ca?.directory ?? DEFAULT_CA;
  const allowInsecureHttp = config.ca?.allowInsecureHttp === true;
  const directoryUrl = directoryUrlOf(caInput, allowInsecureHttp) ?? '';
  if (!directoryUrl)
    problem(
      flags.ca ? '--ca' : at(['ca', 'directory']),
      flags.ca ? undefined : ['ca', 'directory'],
      `expected one of ${Object.keys(CA_DIRECTORIES).join(', ')} or an https:// directory URL${/^http:/i.test(caInput) ? ' (plain http only for a local test CA, with ca.allowInsecureHttp: true)' : ''}, got ${JSON.stringify(caInput)}`,
    );

  // ca.staging belongs to ca.directory: a --ca naming another CA gets that CA's own staging directory, if any.
  const stagingInput = flags.ca === undefined ? config.ca?.staging : undefined;
  const stagingDirectoryUrl =
    stagingInput === undefined
      ? stagingDirectoryOf(directoryUrl)
      : directoryUrlOf(stagingInput, allowInsecureHttp);
  if (stagingInput !== undefined && !stagingDirectoryUrl)
    problem(
      at(['ca', 'staging']),
      ['ca', 'staging'],
      `expected one of ${Object.keys(CA_DIRECTORIES).join(', ')} or an https:// directory URL, got ${JSON.stringify(stagingInput)}`,
    );

  let caBundle: string | undefined;
  const bundlePath = flags.caBundle
    ? resolve(context.cwd, flags.caBundle)
    : config.ca?.caBundle
      ? resolve(base, config.ca.caBundle)
      : undefined;
  if (bundlePath) {
    const location = flags.caBundle ? '--ca-bundle' : at(['ca', 'caBundle']);
    caBundle = await readPemSetting(
      bundlePath,
      location,
      flags.caBundle ? undefined : ['ca', 'caBundle'],
      problem,
    );
  }
  const trustAnchors = config.ca?.trustAnchors
    ? await readPemSetting(
        resolve(base, config.ca.trustAnchors),
        at(['ca', 'trustAnchors']),
        ['ca', 'trustAnchors'],
        problem,
      )
    : undefined;

  const keyTypeInput = flags.keyType ?? config.defaults?.keyType ?? 'ec256';
  if (!isCertificateKeyType(keyTypeInput))
    problem(
      '--key-type',
      undefined,
      `expected ec256, ec384, rsa2048, rsa3072 or rsa4096, got ${JSON.stringify(keyTypeInput)}`,
    );
  const keyType = keyTypeInput as CertificateKeyType;

  const solvers = solverSpecs(flags, config, loaded, context, problem);
  const listenInput = config.daemon?.listen ?? '127.0.0.1:9464';
  const listen = listenInput === 'off' ? undefined : parseListenAddress(listenInput);
  if (listenInput !== 'off' && !listen)
    problem(
      at(['daemon', 'listen']),
      ['daemon', 'listen'],
      `expected host:port, :port or "off", got ${JSON.stringify(listenInput)}`,
    );

  if (problems.length > 0)
    throw configInvalid(file ? `the configuration ${file}` : 'the command line', problems);

  const secrets = {
    directory: base,
    env: context.env,
    warn: context.warn,
    redactor: context.redactor ?? processSecretRedactor(),
  };
  let externalAccountBinding: ExternalAccountBinding | undefined;
  if (flags.eabKid || flags.eabHmacKey) {
    if (!flags.eabKid || !(flags.eabHmacKey || context.env.CERTKEEPER_EAB_HMAC_KEY))
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        '--eab-kid and an HMAC key (--eab-hmac-key or $CERTKEEPER_EAB_HMAC_KEY) go together; only one was given. Nothing was done.',
        { hint: 'copy both from the CA’s account page (ZeroSSL, Google).' },
      );
    const hmacKey = await resolveSecret(
      flags.eabHmacKey ?? { env: 'CERTKEEPER_EAB_HMAC_KEY' },
      { where: '--eab-hmac-key', what: 'the EAB HMAC key' },
      secrets,
    );
    externalAccountBinding = { kid: flags.eabKid, hmacKey };
  } else if (config.account?.eab) {
    const hmacKey = await resolveSecret(
      config.account.eab.hmacKey,
      { where: located(loaded, ['account', 'eab', 'hmacKey']), what: 'the EAB HMAC key' },
      secrets,
    );
    externalAccountBinding = { kid: config.account.eab.kid, hmacKey };
  }

  const daemonAuth = config.daemon?.auth
    ? await resolveDaemonAuth(
        config.daemon.auth,
        (path) => located(loaded, ['daemon', 'auth', ...path]),
        secrets,
      )
    : undefined;

  const emails = flags.email ?? ([] as string[]).concat(config.account?.email ?? []);
  const allowMixedScripts = flags.allowMixedScripts === true || config.defaults?.allowMixedScripts === true;
  const described: CertificateSpec[] = (config.certificates ?? []).map((certificate) => {
    const kt = certificate.keyType ?? keyType;
    const profile = certificate.profile ?? flags.profile ?? config.defaults?.profile;
    const hook = certificate.deployHook ?? config.defaults?.deployHook;
    const mixed = allowMixedScripts || certificate.allowMixedScripts === true;
    const renewBefore = certificate.renewBefore ?? config.defaults?.renewBefore;
    const reuseKey = certificate.reuseKey ?? config.defaults?.reuseKey;
    return {
      // Names from the CSR file when only `csr` is given: filled in by withConfiguredCsrs.
      names: certificate.names ?? [],
      keyType: kt,
      ...(profile ? { profile } : {}),
      ...(certificate.output ? { output: resolve(base, certificate.output) } : {}),
      ...(hook ? { deployHook: hook } : {}),
      ...(mixed ? { allowMixedScripts: true } : {}),
      ...(renewBefore !== undefined ? { renewBeforeMs: durationMs(renewBefore) } : {}),
      ...(reuseKey ? { reuseKey: true } : {}),
    };
  });
  const certificates = await withConfiguredCsrs(described, config, loaded, base, file);
  assertConfiguredNames(certificates, loaded, file, directoryUrl, config.ca?.maxNames);
  const profile = flags.profile ?? config.defaults?.profile;
  const rateLimitName = config.ca?.rateLimits;
  return {
    ...(file ? { configFile: file } : {}),
    baseDirectory: base,
    directoryUrl,
    ...(stagingDirectoryUrl ? { stagingDirectoryUrl } : {}),
    ...(caBundle ? { caBundle } : {}),
    ...(trustAnchors ? { trustAnchors } : {}),
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
    // Unset: the CA's own rule set by directory URL (Let's Encrypt production's limits there, none elsewhere).
    ...(config.ca?.maxNames ? { maxNames: config.ca.maxNames } : {}),
    allowMixedScripts,
    rateLimits:
      rateLimitName === undefined
        ? rateLimitsFor(directoryUrl)
        : rateLimitName === 'letsencrypt'
          ? letsEncryptRateLimits
          : noRateLimits,
    account: {
      name: flags.account ?? config.account?.name ?? 'default',
      contact: emails.map((email) => (email.includes(':') ? email : `mailto:${email}`)),
      ...(config.account?.keyAlgorithm ? { keyAlgorithm: config.account.keyAlgorithm } : {}),
      ...(externalAccountBinding ? { externalAccountBinding } : {}),
      agreeTos: flags.agreeTos === true || config.account?.agreeTos === true,
    },
    storeDirectory: flags.dataDir
      ? resolve(context.cwd, flags.dataDir)
      : config.store?.directory
        ? resolve(base, config.store.directory)
        : defaultStoreDirectory(context.env),
    keyType,
    ...(profile ? { profile } : {}),
    ...(config.defaults?.deployHook ? { deployHook: config.defaults.deployHook } : {}),
    deployHookTimeoutMs: (config.defaults?.deployHookTimeout ?? 300) * 1000,
    ...(config.defaults?.preHook ? { preHook: config.defaults.preHook } : {}),
    ...(config.defaults?.postHook ? { postHook: config.defaults.postHook } : {}),
    ...(config.defaults?.renewBefore !== undefined
      ? { renewBeforeMs: durationMs(config.defaults.renewBefore) }
      : {}),
    concurrency: config.defaults?.concurrency ?? DEFAULT_CONCURRENCY,
    solvers,
    certificates,
    daemon: {
      ...(listen ? { listen } : {}),
      maxSweepIntervalMs: (config.daemon?.maxSweepInterval ?? 3600) * 1000,
      ...(daemonAuth ? { auth: daemonAuth } : {}),
    },
  };
}

/**
 * The configured certificates' names, checked before anything touches the network: a typo fails here with exit 2
 * and the name's position, rather than as a network error or a failed order with a backoff.
 */
function assertConfiguredNames(
  certificates: readonly CertificateSpec[],
  loaded: LoadedConfig | undefined,
  file: string | undefined,
  directoryUrl: string,
  maxNames: number | undefined,
): void {
  const lines: string[] = [];
  const all: NameProblem[] = [];
  for (const [i, certificate] of certificates.entries()) {
    const problems = nameProblems(certificate.names, {
      directoryUrl,
      profile: certificate.profile,
      maxNames,
      allowMixedScripts: certificate.allowMixedScripts === true,
    });
    all.push(...problems);
    for (const problem of problems) {
      const path: ConfigPath = [
        'certificates',
        i,
        'names',
        ...(problem.index === undefined ? [] : [problem.index]),
      ];
      lines.push(`${located(loaded, path)}: ${problem.message}`);
    }
  }
  if (lines.length === 0) return;
  throw configInvalid(
    `the names of ${file ? `the configuration ${file}` : 'the command line'}`,
    lines,
    'fix or remove the names listed; nothing was sent to the CA.',
    codeOf(all),
  );
}
