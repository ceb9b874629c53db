import type { KeyObject } from 'node:crypto';

/**
 * Key types certkeeper issues certificates for: the ones Let's Encrypt and most public CAs accept
 * (ECDSA P-256/P-384, RSA 2048/3072/4096). `ec256` is the default: small, fast, universally supported.
 */
export type CertificateKeyType = 'ec256' | 'ec384' | 'rsa2048' | 'rsa3072' | 'rsa4096';

export const CERTIFICATE_KEY_TYPES: readonly CertificateKeyType[] = [
  'ec256',
  'ec384',
  'rsa2048',
  'rsa3072',
  'rsa4096',
];

export const DEFAULT_CERTIFICATE_KEY_TYPE: CertificateKeyType = 'ec256';

/** What a key is, for messages and for mapping it to a supported type. */
export interface KeyDescription {
  /** Human-readable, e.g. "ECDSA P-256", "RSA 1024-bit", "Ed25519". */
  readonly text: string;
  readonly family: 'ec' | 'rsa' | 'other';
  /** JOSE curve name for EC keys ("P-256"), or the OpenSSL name for curves JOSE does not name. */
  readonly curve?: string;
  readonly modulusLength?: number;
  /** Set when the key is one of {@link CERTIFICATE_KEY_TYPES}. */
  readonly certificateKeyType?: CertificateKeyType;
}

const curveNames: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** Describes a private or public key. Never throws: unknown kinds are described as what Node reports. */
export function describeKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = curveNames[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown curve';
    const type = curve === 'P-256' ? 'ec256' : curve === 'P-384' ? 'ec384' : undefined;
    return { text: `ECDSA ${curve}`, family: 'ec', curve, ...(type ? { certificateKeyType: type } : {}) };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    const type = CERTIFICATE_KEY_TYPES.find((candidate) => candidate === `rsa${bits}`);
    return {
      text: `RSA ${bits}-bit`,
      family: 'rsa',
      modulusLength: bits,
      ...(type ? { certificateKeyType: type } : {}),
    };
  }
  const kind = key.asymmetricKeyType ?? key.type;
  const names: Readonly<Record<string, string>> = {
    ed25519: 'Ed25519',
    ed448: 'Ed448',
    'rsa-pss': 'RSA-PSS',
  };
  return { text: names[kind] ?? kind, family: 'other' };
}

/** Whether a string names a supported certificate key type (for configuration parsing). */
export function isCertificateKeyType(value: unknown): value is CertificateKeyType {
  return typeof value === 'string' && (CERTIFICATE_KEY_TYPES as readonly string[]).includes(value);
}
