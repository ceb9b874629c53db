import { createPrivateKey, type KeyObject } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';

/** PEM labels of unencrypted private keys: PKCS#8, SEC1 (RFC 5915) and PKCS#1 (RFC 8017). */
const PRIVATE_KEY_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'];

/**
 * Reads the first unencrypted private key of a PEM text (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE
 * KEY"). Other blocks around it, such as the "EC PARAMETERS" block `openssl ecparam -genkey` writes first, are
 * skipped. `what` names the key in messages ("certificate key", "account key").
 *
 * Messages never quote the PEM: it is a secret.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` when there is no usable private key.
 */
export function readPrivateKeyPem(pem: string, what: string): KeyObject {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)];
  const block = blocks.find((match) => PRIVATE_KEY_LABELS.includes(match[1] ?? ''));
  if (block === undefined) {
    const labels = blocks.map((match) => match[1]);
    const encrypted = labels.includes('ENCRYPTED PRIVATE KEY');
    const found =
      labels.length > 0 ? `it holds ${labels.map((l) => `"${l}"`).join(', ')}` : 'it is not PEM text';
    throw new CertkeeperError(ErrorCodes.INVALID_KEY, `The ${what} could not be read: ${found}.`, {
      hint: encrypted
        ? 'decrypt the key first (for example: openssl pkey -in key.pem -out key-plain.pem) and keep it 0600.'
        : 'give an unencrypted "PRIVATE KEY", "EC PRIVATE KEY" or "RSA PRIVATE KEY" PEM block.',
    });
  }
  if (/^Proc-Type:.*ENCRYPTED/m.test(block[0])) {
    throw new CertkeeperError(ErrorCodes.INVALID_KEY, `The ${what} is encrypted (legacy PEM encryption).`, {
      hint: 'decrypt the key first (for example: openssl pkey -in key.pem -out key-plain.pem) and keep it 0600.',
    });
  }
  try {
    return createPrivateKey({ key: block[0], format: 'pem' });
  } catch (cause) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_KEY,
      `The ${what} could not be read: the "${block[1]}" block is not a valid key.`,
      { hint: 'check that the file was not truncated or edited, or generate a new key.', cause },
    );
  }
}
