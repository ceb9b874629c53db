import { open } from 'node:fs/promises';
import { type CertificateKeyType, CertkeeperError, ErrorCodes, encodePem, parseCsr } from '@certkeeper/core';

/** Far above any real CSR (an RSA 4096 one with 100 names is under 8 KiB): more is not a CSR, and is not read. */
export const MAX_CSR_BYTES = 64 * 1024;

/** A CSR of the user's own, as a certificate spec and an issue recipe keep it. */
export interface CsrSpec {
  /** Where it was read from, for messages and `status`. */
  readonly file: string;
  /** The CSR as PEM (normalised from PEM or DER): what renewals finalize with. */
  readonly pem: string;
  /** SHA-256 of its public key's DER SubjectPublicKeyInfo, hex: whether a stored certificate is for this key. */
  readonly spkiSha256: string;
}

export interface CsrFile extends CsrSpec {
  /** Its names: the dNSName and iPAddress SANs, and the CN when no SAN repeats it. */
  readonly names: readonly string[];
  readonly keyType: CertificateKeyType;
}

/**
 * Read and check a CSR file (`--csr`, `certificates[].csr`): at most {@link MAX_CSR_BYTES}, PEM or DER, a PKCS#10
 * request whose self-signature verifies, for a key CAs accept, naming only DNS names and IP addresses. Nothing is
 * sent to anyone before this passed.
 *
 * @throws CertkeeperError INVALID_CSR naming the file and `where` (the flag or config key) with what is wrong.
 */
export async function readCsrFile(path: string, where: string): Promise<CsrFile> {
  const refuse = (reason: string, cause?: unknown) =>
    new CertkeeperError(
      ErrorCodes.INVALID_CSR,
      `The CSR file ${path} (${where}) ${reason}; nothing was ordered.`,
      {
        hint: `give ${where} a PKCS#10 certificate request (PEM or DER), e.g. one made with: openssl req -new -key <key file> -subj /CN=<name> -addext subjectAltName=DNS:<name> -out <file>.`,
        ...(cause !== undefined ? { cause } : {}),
      },
    );
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw refuse('is not a regular file');
      if (info.size > MAX_CSR_BYTES)
        throw refuse(`is ${info.size} bytes, more than a CSR can be (${MAX_CSR_BYTES / 1024} KiB at most)`);
      // Read at most one byte past the cap: a file that grew since the stat is refused all the same.
      const buffer = Buffer.alloc(MAX_CSR_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_CSR_BYTES)
        throw refuse(`is more than a CSR can be (${MAX_CSR_BYTES / 1024} KiB at most)`);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (CertkeeperError.isInstance(error)) throw error;
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  const text = bytes.toString('latin1');
  let parsed: Awaited<ReturnType<typeof parseCsr>>;
  try {
    parsed = await parseCsr(text.includes('-----BEGIN') ? text : new Uint8Array(bytes));
  } catch (error) {
    // core's message without its own hint (it would say to give no CSR): this one names the file and the flag.
    const reason = (error instanceof Error ? error.message : String(error))
      .split('\nNext:')[0]!
      .replace(/^The CSR is not usable: /, '')
      .replace(/\.$/, '');
    throw refuse(`is not usable: ${reason}`, error);
  }
  return {
    file: path,
    pem: encodePem(parsed.der, 'CERTIFICATE REQUEST'),
    spkiSha256: parsed.spkiSha256,
    names: parsed.identifiers.map((identifier) => identifier.value),
    keyType: parsed.publicKeyType,
  };
}

/** The request-side form of a CSR spec (policy's `RequestCsr`): base64url DER and the key digest. */
export function requestCsrOf(csr: CsrSpec): { readonly der: string; readonly spkiSha256: string } {
  const body = csr.pem.replace(/-----(BEGIN|END) CERTIFICATE REQUEST-----|\s/g, '');
  return { der: Buffer.from(body, 'base64').toString('base64url'), spkiSha256: csr.spkiSha256 };
}
