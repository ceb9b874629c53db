// @peculiar/x509 uses tsyringe internally, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  createCsr,
  describeKey,
  generateCertificateKey,
  type Identifier,
  inspectIssuedChain,
  parseCertificate,
  parseCertificateChain,
  splitPemChain,
} from '@certkeeper/core';
import * as x509 from '@peculiar/x509';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/**
 * Chains shaped like Pebble's (and Let's Encrypt's): a P-256 leaf with one dNSName, key usages, AKI, and the same
 * RSA-2048 intermediate under every leaf, as when one `renew` issues many certificates.
 */
async function pebbleLikeChains(count: number): Promise<string[]> {
  return (await pebbleLikeIssuance(count)).chains;
}

/** {@link pebbleLikeChains}, with the root that signed their intermediate and the leaves' public key. */
async function pebbleLikeIssuance(
  count: number,
): Promise<{ chains: string[]; rootPem: string; leafPublicKey: KeyObject }> {
  const root = await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
  const rootCertificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Pebble Root CA 0b13ea',
    keys: root,
    serialNumber: '01',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: rsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(root.publicKey),
    ],
  });
  const intermediateKeys = await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 7 * 86_400_000);
  const intermediate = await x509.X509CertificateGenerator.create({
    subject: 'CN=Pebble Intermediate CA 3bd1a7',
    issuer: 'CN=Pebble Root CA 0b13ea',
    publicKey: intermediateKeys.publicKey,
    signingKey: root.privateKey,
    serialNumber: '5d1a8ac2c59a5a5c',
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.publicKey),
    ],
  });
  const aki = await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey);
  const leafKeys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const chains: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `c${i}.parse.bench.test`;
    const leaf = await x509.X509CertificateGenerator.create({
      subject: `CN=${name}`,
      issuer: intermediate.subject,
      publicKey: leafKeys.publicKey,
      signingKey: intermediateKeys.privateKey,
      serialNumber: (0x9f3e2a1b0c4d0000 + i).toString(16), // high bit set: a sign byte in DER
      notBefore,
      notAfter,
      signingAlgorithm: rsa,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.serverAuth,
          x509.ExtendedKeyUsage.clientAuth,
        ]),
        new x509.BasicConstraintsExtension(false, undefined, true),
        aki,
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }]),
      ],
    });
    chains.push(`${leaf.toString('pem')}\n${intermediate.toString('pem')}\n`);
  }
  const leafPublicKey = createPublicKey({
    key: Buffer.from(await webcrypto.subtle.exportKey('spki', leafKeys.publicKey)),
    format: 'der',
    type: 'spki',
  });
  return { chains, rootPem: rootCertificate.toString('pem'), leafPublicKey };
}

/** Exposes the serial's raw DER content octets, as certkeeper's reader did before issue 13. */
class CertificateReader extends x509.X509Certificate {
  get serialContentOctets(): Uint8Array {
    return new Uint8Array(this.asn.tbsCertificate.serialNumber);
  }
}

/** One certificate read as certkeeper read it before issue 13: @peculiar/x509's X509Certificate, getExtension ×4. */
function readWithX509(pem: string): void {
  const cert = new CertificateReader(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  void san.filter((name) => name.type === 'dns').map((name) => name.value.toLowerCase());
  void cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  void cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  void describeKey(
    createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' }),
  );
  void [cert.subject, cert.issuer, cert.notBefore, cert.notAfter, cert.serialContentOctets];
  void (cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false);
}

/** Wall and CPU microseconds per chain of `read` over every chain. */
function measure(chains: readonly string[], read: (pem: string) => void): { us: number; cpuUs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const pem of chains) read(pem);
  const wallUs = (performance.now() - started) * 1000;
  const used = process.cpuUsage(cpu);
  const round = (value: number) => Math.round(value / chains.length);
  return { us: round(wallUs), cpuUs: round(used.user + used.system) };
}

/**
 * What reading certificates costs one issuance: the issued chain is read by its verification (inspectIssuedChain),
 * by the preferred-chain match (chainIssuerName) and, leaf only, for the stored record — before issue 13 with
 * @peculiar/x509's X509Certificate each time, now parsed once (and the intermediate once per process).
 */
export async function benchCertificateParse(emit: Emit): Promise<void> {
  const warmup = 100;
  const runs = 200;
  const chains = await pebbleLikeChains(warmup + 2 * runs);
  const warm = chains.slice(0, warmup);
  // Chains no read has seen: the read cache keeps the last 64 certificates, so each set is read once, in order.
  const forIssuance = chains.slice(warmup, warmup + runs);
  const forFirstRead = chains.slice(warmup + runs);
  const before = (pem: string) => {
    for (const block of splitPemChain(pem)) readWithX509(block); // inspectIssuedChain
    for (const block of splitPemChain(pem)) readWithX509(block); // chainIssuerName
    readWithX509(splitPemChain(pem)[0]!); // the stored record
  };
  const after = (pem: string) => {
    parseCertificateChain(pem);
    parseCertificateChain(pem);
    parseCertificate(pem);
  };
  for (const pem of warm) {
    before(pem);
    after(pem);
  }
  const firstReadBefore = measure(forFirstRead, (pem) => {
    for (const block of splitPemChain(pem)) readWithX509(block);
  });
  const firstRead = measure(forFirstRead, (pem) => parseCertificateChain(pem));
  const issuanceBefore = measure(forIssuance, before);
  const issuanceAfter = measure(forIssuance, after);
  emit('certificate-parse', {
    chain: 'Pebble-like: P-256 leaf + RSA-2048 intermediate',
    chains: runs,
    beforeOneReadUs: firstReadBefore.us,
    beforeOneReadCpuUs: firstReadBefore.cpuUs,
    beforeIssuanceUs: issuanceBefore.us,
    beforeIssuanceCpuUs: issuanceBefore.cpuUs,
    afterFirstReadUs: firstRead.us,
    afterFirstReadCpuUs: firstRead.cpuUs,
    afterIssuanceUs: issuanceAfter.us,
    afterIssuanceCpuUs: issuanceAfter.cpuUs,
    note: 'µs per chain; one read = a chain read first (a new leaf, the intermediate known); issuance = the three reads of one issued chain',
    load: loadavg()[0]!.toFixed(2),
  });
}

/**
 * The check of every issued chain (inspectIssuedChain: key, names, validity, each link's signature, the top against
 * the trust anchors), as one issuance runs it: a new leaf under the intermediate every chain shares.
 */
export async function benchChainInspection(emit: Emit): Promise<void> {
  const warmup = 50;
  const runs = 200;
  const { chains, rootPem, leafPublicKey } = await pebbleLikeIssuance(warmup + runs);
  const inspect = (pem: string, k: number) => {
    const findings = inspectIssuedChain(pem, {
      identifiers: [{ type: 'dns', value: `c${k}.parse.bench.test` }],
      publicKey: leafPublicKey,
      now: new Date(),
      trustAnchors: [rootPem],
    });
    if (findings.length > 0) throw new Error(`bench chain refused: ${findings[0]!.detail}`);
  };
  for (const [k, pem] of chains.slice(0, warmup).entries()) inspect(pem, k);
  let k = warmup;
  const figures = measure(chains.slice(warmup), (pem) => inspect(pem, k++));
  emit('chain-inspection', {
    chain: 'Pebble-like: P-256 leaf + RSA-2048 intermediate, RSA-2048 root as the trust anchor',
    chains: runs,
    us: figures.us,
    cpuUs: figures.cpuUs,
    note: 'µs per issued chain checked (a new leaf each time, the intermediate and root the same)',
    load: loadavg()[0]!.toFixed(2),
  });
}

/**
 * One CSR for a one-name order (ec256, the default key): @peculiar/x509's generator through WebCrypto, as
 * createCsr made it before issue 13, and createCsr now (asn1-csr, signed by node:crypto).
 */
export async function benchCsrCreate(emit: Emit): Promise<void> {
  const key = await generateCertificateKey('ec256');
  const identifiers: Identifier[] = [{ type: 'dns', value: 'csr.bench.test' }];
  const before = async () => {
    const { privateKey, publicKey } = key;
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const keys = {
      privateKey: await webcrypto.subtle.importKey(
        'pkcs8',
        privateKey.export({ type: 'pkcs8', format: 'der' }),
        algorithm,
        false,
        ['sign'],
      ),
      publicKey: await webcrypto.subtle.importKey(
        'spki',
        publicKey.export({ type: 'spki', format: 'der' }),
        algorithm,
        true,
        ['verify'],
      ),
    };
    await x509.Pkcs10CertificateRequestGenerator.create({
      name: [{ CN: ['csr.bench.test'] }],
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'csr.bench.test' }])],
    });
  };
  const after = () => createCsr({ identifiers, key });
  const cpuUs = async (make: () => Promise<unknown>, runs: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < runs; i++) await make();
    const used = process.cpuUsage(cpu);
    return Math.round((used.user + used.system) / runs);
  };
  await cpuUs(before, 100);
  await cpuUs(after, 100);
  emit('csr-create', {
    key: 'ec256',
    names: 1,
    runs: 300,
    beforeCpuUs: await cpuUs(before, 300),
    afterCpuUs: await cpuUs(after, 300),
    load: loadavg()[0]!.toFixed(2),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const emit: Emit = (bench, figures) => console.log(JSON.stringify({ bench, ...figures }));
  await benchCertificateParse(emit);
  await benchCsrCreate(emit);
}
