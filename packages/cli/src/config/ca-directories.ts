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
