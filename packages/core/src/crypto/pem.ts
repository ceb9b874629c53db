import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';

/** One PEM block (RFC 7468): its label and its decoded DER, or undefined when the base64 body is damaged. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array | undefined;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Every complete PEM block in a text, in order. Text between blocks is ignored, as RFC 7468 §2 allows. */
export function readPemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((match) => {
    const body = match[2] ?? '';
    const der = BASE64_BODY.test(body) ? new Uint8Array(Buffer.from(body, 'base64')) : undefined;
    return { label: match[1] ?? '', der: der && der.length > 0 ? der : undefined };
  });
}

/** Encodes DER as a PEM block with 64-character lines and a final newline (RFC 7468 strict form). */
export function encodePem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Splits a PEM certificate chain (RFC 8555 §9.1 `application/pem-certificate-chain`: leaf first, then the
 * issuers) into one strict-form PEM string per certificate, in the same order. Blocks with other labels (a
 * private key in a combined file) are left out.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CERTIFICATE` when there is no certificate, a certificate
 *   block is not terminated, or its base64 is damaged.
 */
export function splitPemChain(pem: string): string[] {
  const begun = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  const blocks = readPemBlocks(pem).filter((block) => block.label === 'CERTIFICATE');
  const fail = (what: string) =>
    new CertkeeperError(ErrorCodes.INVALID_CERTIFICATE, `The PEM certificate chain is not usable: ${what}.`, {
      hint: 'check that the file holds complete "-----BEGIN CERTIFICATE-----" blocks, or download it again.',
    });
  if (begun === 0) throw fail('it has no "-----BEGIN CERTIFICATE-----" block');
  if (blocks.length !== begun)
    throw fail(`${begun - blocks.length} of ${begun} certificate blocks are not terminated`);
  return blocks.map((block, index) => {
    if (block.der === undefined) throw fail(`certificate ${index + 1} of ${begun} has damaged base64`);
    return encodePem(block.der, 'CERTIFICATE');
  });
}

/**
 * The DER of the first PEM block with one of `labels`, or `input` itself when it is already bytes.
 * Returns undefined when a text holds no such block.
 */
export function toDer(input: string | Uint8Array, labels: readonly string[]): Uint8Array | undefined {
  if (typeof input !== 'string') return new Uint8Array(input);
  return readPemBlocks(input).find((block) => labels.includes(block.label))?.der;
}
