// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, randomBytes } from 'node:crypto';

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** A certificate authority that can sign certificates. */
export interface CertificateAuthority extends KeyPair {
  readonly cert: x509.X509Certificate;
  readonly key: CryptoKey;
}

// ECDSA P-256: small keys, fast TLS handshakes, understood by Go's crypto/tls (kubectl) and Node.
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

function useWebCrypto(): void {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive
  return b.toString('hex');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
}

function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as unknown as Promise<CryptoKeyPair>;
}

/** Creates a self-signed cluster CA valid for ten years. */
export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  useWebCrypto();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + 3650 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey, certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

/** Loads a CA written earlier by {@link createCertificateAuthority}. */
export async function loadCertificateAuthority(pair: KeyPair): Promise<CertificateAuthority> {
  useWebCrypto();
  return { ...pair, cert: new x509.X509Certificate(pair.certPem), key: await importKeyPem(pair.keyPem) };
}

/** What a certificate is for: serving TLS (with SANs) or authenticating a client (CN = user, O = groups). */
export type CertificateRequest =
  | { usage: 'server'; commonName: string; dnsNames: string[]; ipAddresses: string[] }
  | { usage: 'client'; commonName: string; organizations: string[] };

/** Issues a certificate signed by `ca`, valid for one year. */
export async function issueCertificate(ca: CertificateAuthority, req: CertificateRequest): Promise<KeyPair> {
  useWebCrypto();
  const keys = await newKeys();
  const now = Date.now();
  const subject = [`CN=${escapeRdn(req.commonName)}`];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (req.usage === 'server') {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    extensions.push(new x509.SubjectAlternativeNameExtension([
      ...req.dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...req.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ]));
  } else {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]));
    for (const o of req.organizations) subject.push(`O=${escapeRdn(o)}`);
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subject.join(', '),
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + 365 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

function escapeRdn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}
