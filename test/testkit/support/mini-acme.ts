// Tests in test/testkit prove the harness and the proxy against a real Pebble; they need an ACME client, and the
// engine under construction in @certkeeper/core must not be what proves its own test tools. This is the least
// client that can order a certificate: no retries except a bounded badNonce loop, no persistence.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { HARNESS_USER_AGENT } from '@certkeeper/testkit';
import * as x509 from '@peculiar/x509';
import { base64url, calculateJwkThumbprint, exportJWK, FlattenedSign, generateKeyPair, type JWK } from 'jose';
import { Agent, request } from 'undici';

export interface AcmeResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Parsed JSON body; undefined when the body is not JSON. */
  readonly json: Record<string, unknown> | undefined;
  /** The JWS `nonce` this request carried, for assertions about nonce handling. */
  readonly sentNonce?: string;
}

export interface Directory {
  readonly newNonce: string;
  readonly newAccount: string;
  readonly newOrder: string;
  readonly meta?: { readonly externalAccountRequired?: boolean };
  readonly [field: string]: unknown;
}

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export class MiniAcme {
  readonly dispatcher: Agent;
  directory!: Directory;
  accountUrl: string | undefined;
  #keys!: KeyPair;
  #jwk!: JWK;
  #nonce: string | undefined;

  constructor(
    readonly directoryUrl: string,
    caPem: string,
  ) {
    this.dispatcher = new Agent({ connect: { ca: caPem } });
  }

  async init(): Promise<this> {
    this.#keys = await generateKeyPair('ES256', { extractable: true });
    this.#jwk = await exportJWK(this.#keys.publicKey);
    const response = await this.get(this.directoryUrl);
    this.directory = response.json as unknown as Directory;
    return this;
  }

  async thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.#jwk);
  }

  async get(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<AcmeResponse> {
    const { statusCode, headers, body } = await request(url, {
      method,
      dispatcher: this.dispatcher,
      headers: { 'user-agent': HARNESS_USER_AGENT },
    });
    const text = await body.text();
    this.#remember(headers);
    return { status: statusCode, headers, text, json: parse(text) };
  }

  /** Signs and sends one POST with the next nonce, retrying badNonce up to `badNonceRetries` times with a new one. */
  async post(
    url: string,
    payload: unknown,
    options: { jwk?: boolean; badNonceRetries?: number } = {},
  ): Promise<AcmeResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.postOnce(url, payload, options);
      const isBadNonce = response.json?.type === 'urn:ietf:params:acme:error:badNonce';
      if (!isBadNonce || attempt >= (options.badNonceRetries ?? 3)) return response;
    }
  }

  /** One signed POST. `payload` '' is POST-as-GET (RFC 8555 §6.3). */
  async postOnce(url: string, payload: unknown, options: { jwk?: boolean } = {}): Promise<AcmeResponse> {
    const nonce = await this.#takeNonce();
    const body = await this.sign(url, payload, nonce, options);
    return this.send(url, body, nonce);
  }

  async sign(url: string, payload: unknown, nonce: string, options: { jwk?: boolean } = {}): Promise<string> {
    const bytes = new TextEncoder().encode(payload === '' ? '' : JSON.stringify(payload));
    const identity = options.jwk || !this.accountUrl ? { jwk: this.#jwk } : { kid: this.accountUrl };
    const jws = await new FlattenedSign(bytes)
      .setProtectedHeader({ alg: 'ES256', nonce, url, ...identity })
      .sign(this.#keys.privateKey);
    return JSON.stringify(jws);
  }

  /** Sends an already signed body (a test can replay one). */
  async send(url: string, body: string, sentNonce?: string): Promise<AcmeResponse> {
    const {
      statusCode,
      headers,
      body: stream,
    } = await request(url, {
      method: 'POST',
      dispatcher: this.dispatcher,
      headers: { 'content-type': 'application/jose+json', 'user-agent': HARNESS_USER_AGENT },
      body,
    });
    const text = await stream.text();
    this.#remember(headers);
    return { status: statusCode, headers, text, json: parse(text), ...(sentNonce ? { sentNonce } : {}) };
  }

  async newAccount(eab?: { kid: string; hmacKey: string }): Promise<AcmeResponse> {
    const payload: Record<string, unknown> = { termsOfServiceAgreed: true, contact: [] };
    if (eab) {
      const inner = await new FlattenedSign(new TextEncoder().encode(JSON.stringify(this.#jwk)))
        .setProtectedHeader({ alg: 'HS256', kid: eab.kid, url: this.directory.newAccount })
        .sign(base64url.decode(eab.hmacKey));
      payload.externalAccountBinding = inner;
    }
    const response = await this.post(this.directory.newAccount, payload, { jwk: true });
    const location = response.headers.location;
    if (response.status === 201 || response.status === 200) this.accountUrl = String(location);
    return response;
  }

  newOrder(names: readonly string[]): Promise<AcmeResponse> {
    return this.post(this.directory.newOrder, {
      identifiers: names.map((value) => ({ type: 'dns', value })),
    });
  }

  /** POST-as-GET until `status` is no longer one of `pending`/`processing`, or the attempts run out. */
  async pollUntilSettled(url: string, attempts = 100): Promise<AcmeResponse> {
    for (let i = 0; ; i++) {
      const response = await this.post(url, '');
      const status = response.json?.status;
      if ((status !== 'pending' && status !== 'processing') || i >= attempts) return response;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async keyAuthorization(token: string): Promise<string> {
    return `${token}.${await this.thumbprint()}`;
  }

  async dnsTxtValue(token: string): Promise<string> {
    const digest = await webcrypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(await this.keyAuthorization(token)),
    );
    return Buffer.from(digest).toString('base64url');
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  async #takeNonce(): Promise<string> {
    const cached = this.#nonce;
    this.#nonce = undefined;
    if (cached) return cached;
    const response = await this.get(this.directory.newNonce, 'HEAD');
    const nonce = response.headers['replay-nonce'];
    this.#nonce = undefined;
    if (typeof nonce !== 'string')
      throw new Error(`newNonce answered ${response.status} without Replay-Nonce`);
    return nonce;
  }

  #remember(headers: Record<string, string | string[] | undefined>): void {
    const nonce = headers['replay-nonce'];
    if (typeof nonce === 'string') this.#nonce = nonce;
  }
}

/** A CSR for `names` with a fresh P-256 key, base64url DER as finalize wants it (RFC 8555 §7.4). */
export async function createCsr(names: readonly string[]): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: `CN=${names[0]}`,
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
      ],
    },
    webcrypto,
  );
  return Buffer.from(csr.rawData).toString('base64url');
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
