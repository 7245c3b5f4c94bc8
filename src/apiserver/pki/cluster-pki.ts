import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  createCertificateAuthority, issueCertificate, loadCertificateAuthority,
  type CertificateAuthority, type KeyPair,
} from './certificates.js';

/** The certificates an API server needs. */
export interface ClusterPki {
  ca: CertificateAuthority;
  serving: KeyPair;
  admin: KeyPair;
  dir: string;
}

async function readPair(dir: string, name: string): Promise<KeyPair | null> {
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(crt) || !existsSync(key)) return null;
  return { certPem: await readFile(crt, 'utf8'), keyPem: await readFile(key, 'utf8') };
}

async function writePair(dir: string, name: string, pair: KeyPair): Promise<void> {
  await writeFile(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
  await writeFile(join(dir, `${name}.key`), pair.keyPem, { mode: 0o600 });
}

/**
 * Loads the cluster's certificates from `<dataDir>/pki`, creating what is missing: the CA and the
 * admin client certificate (CN=kubernetes-admin, O=system:masters) are made once and kept; the
 * serving certificate is issued anew on every start so its SANs (localhost, 127.0.0.1, the host
 * name, the bind address and `extraSans`) follow the current configuration.
 */
export async function ensureClusterPki(dataDir: string, bindAddress: string, extraSans: string[] = []): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let caPair = await readPair(dir, 'ca');
  let ca: CertificateAuthority;
  if (caPair) {
    ca = await loadCertificateAuthority(caPair);
  } else {
    ca = await createCertificateAuthority('tskube-ca');
    caPair = ca;
    await writePair(dir, 'ca', ca);
  }
  let admin = await readPair(dir, 'admin');
  if (!admin) {
    admin = await issueCertificate(ca, { usage: 'client', commonName: 'kubernetes-admin', organizations: ['system:masters'] });
    await writePair(dir, 'admin', admin);
  }
  const names = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname(), ...extraSans]);
  const ips = new Set(['127.0.0.1']);
  for (const n of [bindAddress, ...extraSans]) {
    if (isIP(n)) { ips.add(n); names.delete(n); }
  }
  ips.delete('0.0.0.0');
  ips.delete('::');
  const serving = await issueCertificate(ca, {
    usage: 'server', commonName: 'kube-apiserver', dnsNames: [...names], ipAddresses: [...ips],
  });
  await writePair(dir, 'apiserver', serving);
  return { ca, serving, admin, dir };
}
