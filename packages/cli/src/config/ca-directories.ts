/**
 * Directory URLs of the public ACME CAs `--ca` and `ca.directory` accept by name, as lego and certbot users know
 * them. Anything else must be an `https://` directory URL (a private CA, Pebble).
 */
export const CA_DIRECTORIES = {
  letsencrypt: 'https://acme-v02.api.letsencrypt.org/directory',
  'letsencrypt-staging': 'https://acme-staging-v02.api.letsencrypt.org/directory',
  zerossl: 'https://acme.zerossl.com/v2/DV90',
  google: 'https://dv.acme-v02.api.pki.goog/directory',
  'google-staging': 'https://dv.acme-v02.test-api.pki.goog/directory',
  buypass: 'https://api.buypass.com/acme/directory',
  'buypass-staging': 'https://api.test4.buypass.no/acme/directory',
} as const;

export type CaAlias = keyof typeof CA_DIRECTORIES;

/**
 * The staging directory of each public CA that has one: where `--dry-run` issues a certificate that costs nothing
 * (untrusted roots, separate limits). A staging directory is its own staging. ZeroSSL has none.
 */
const STAGING_OF: Readonly<Record<string, CaAlias>> = {
  [CA_DIRECTORIES.letsencrypt]: 'letsencrypt-staging',
  [CA_DIRECTORIES['letsencrypt-staging']]: 'letsencrypt-staging',
  [CA_DIRECTORIES.google]: 'google-staging',
  [CA_DIRECTORIES['google-staging']]: 'google-staging',
  [CA_DIRECTORIES.buypass]: 'buypass-staging',
  [CA_DIRECTORIES['buypass-staging']]: 'buypass-staging',
};

/** The staging directory URL of a known CA's directory URL; undefined for a CA without one (or unknown). */
export function stagingDirectoryOf(directoryUrl: string): string | undefined {
  const alias = STAGING_OF[directoryUrl];
  return alias ? CA_DIRECTORIES[alias] : undefined;
}

/** The CA used when neither `--ca` nor `ca.directory` names one (what lego and certbot default to). */
export const DEFAULT_CA: CaAlias = 'letsencrypt';

/**
 * The directory URL for an alias or an `https://` URL; undefined for anything else. An `http://` URL only when the
 * user explicitly allowed an insecure test CA (`ca.allowInsecureHttp`): RFC 8555 §6.1 requires HTTPS.
 */
export function directoryUrlOf(value: string, allowInsecureHttp = false): string | undefined {
  const alias = CA_DIRECTORIES[value.toLowerCase() as CaAlias];
  if (alias) return alias;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || (allowInsecureHttp && protocol === 'http:') ? value : undefined;
  } catch {
    return undefined;
  }
}
