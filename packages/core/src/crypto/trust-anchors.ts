import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { splitPemChain } from './pem.js';

/**
 * The trust anchors an issued chain must end at, one strict-form PEM per certificate, from PEM texts that may each
 * hold several certificates (a bundle file). Read once, when the client is made, with Node's own X.509 parser so the
 * cold path stays free of @peculiar/x509.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_OPTION` naming the unreadable input.
 */
export function readTrustAnchors(input: string | readonly string[] | undefined): readonly string[] {
  if (input === undefined) return [];
  const texts = typeof input === 'string' ? [input] : input;
  return texts.flatMap((text, index) => {
    try {
      const pems = splitPemChain(text);
      for (const pem of pems) new NodeX509Certificate(pem);
      return pems;
    } catch (cause) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `Trust anchor ${index + 1} of ${texts.length} is not a readable PEM certificate: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
        {
          hint: 'give the CA’s root certificates as PEM (ca.trustAnchors), e.g. ISRG Root X1 and X2 for Let’s Encrypt.',
          cause,
        },
      );
    }
  });
}
