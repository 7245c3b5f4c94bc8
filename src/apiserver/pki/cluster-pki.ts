import { fork } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { KeyPair } from './certificates.js';

/** The certificates an API server needs, as PEM. */
export interface ClusterPki {
  ca: KeyPair;
  serving: KeyPair;
  admin: KeyPair;
  /** Client certificates of the components that talk to the API server, by component. */
  components: Record<ComponentName, KeyPair>;
  dir: string;
}

/** The components with their own client identity. */
export type ComponentName = 'controller-manager' | 'scheduler' | 'node-simulator';

/** Each component's certificate subject: CN is its user name, O its groups. */
export const COMPONENT_IDENTITIES: Record<ComponentName, { commonName: string; organizations: string[] }> = {
  'controller-manager': { commonName: 'system:kube-controller-manager', organizations: [] },
  scheduler: { commonName: 'system:kube-scheduler', organizations: [] },
  // The simulated nodes of one process share an identity in the nodes group.
  'node-simulator': { commonName: 'system:node-simulator', organizations: ['system:nodes'] },
};

/** The names of the component certificates in the pki directory. */
const COMPONENTS = Object.keys(COMPONENT_IDENTITIES) as ComponentName[];

/** The names a serving certificate must carry. */
export interface ServingNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** What the issuing process is asked to do. */
export interface IssueRequest {
  dir: string;
  serving: ServingNames;
}

/** The serving names for a bind address: localhost, 127.0.0.1, the host name, the bind address, extras. */
export function servingNames(bindAddress: string, extraSans: string[] = []): ServingNames {
  const names = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname()]);
  const ips = new Set(['127.0.0.1']);
  for (const n of [bindAddress, ...extraSans]) {
    if (isIP(n)) ips.add(n);
    else if (n) names.add(n);
  }
  ips.delete('0.0.0.0');
  ips.delete('::');
  return { dnsNames: [...names], ipAddresses: [...ips] };
}

/** The `<name>.crt` / `<name>.key` pair in `dir`, or null when either is missing. */
export function readPair(dir: string, name: string): KeyPair | null {
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(crt) || !existsSync(key)) return null;
  return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

const MONTH = 30 * 24 * 3600 * 1000;

/** True when `pair` is signed by `ca`, valid for at least a month more, and (for serving) covers every name. */
export function stillGood(pair: KeyPair | null, ca: KeyPair | null, names?: ServingNames): boolean {
  if (!pair || !ca) return false;
  try {
    const cert = new X509Certificate(pair.certPem);
    const caCert = new X509Certificate(ca.certPem);
    if (!cert.verify(caCert.publicKey)) return false;
    if (Date.parse(cert.validTo) < Date.now() + MONTH) return false;
    if (names) {
      if (!names.dnsNames.every((n) => cert.checkHost(n, { wildcards: false }) === n)) return false;
      if (!names.ipAddresses.every((ip) => cert.checkIP(ip) === ip)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the cluster's certificates from `<dataDir>/pki`, creating what is missing or no longer
 * fits: the CA, the admin client certificate (CN=kubernetes-admin, O=system:masters) and the
 * components' client certificates ({@link COMPONENT_IDENTITIES}) are made once and kept; the serving certificate is issued again when it does not cover the current
 * names (localhost, 127.0.0.1, the host name, the bind address, `extraSans`) or nears expiry.
 * Issuing runs in a short-lived child process, so the X.509 library never occupies the
 * server's memory.
 */
export async function ensureClusterPki(dataDir: string, bindAddress: string, extraSans: string[] = []): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const serving = servingNames(bindAddress, extraSans);
  let ca = readPair(dir, 'ca');
  const clientsGood = () => ['admin', ...COMPONENTS].every((n) => stillGood(readPair(dir, n), ca));
  if (!ca || !clientsGood() || !stillGood(readPair(dir, 'apiserver'), ca, serving)) {
    await issueInChildProcess({ dir, serving });
    ca = readPair(dir, 'ca');
  }
  const admin = readPair(dir, 'admin');
  const apiserver = readPair(dir, 'apiserver');
  const components = Object.fromEntries(COMPONENTS.map((n) => [n, readPair(dir, n)])) as Record<ComponentName, KeyPair | null>;
  if (!ca || !admin || !apiserver || COMPONENTS.some((n) => !components[n])) throw new Error(`the certificates in ${dir} could not be made`);
  return { ca, serving: apiserver, admin, components: components as Record<ComponentName, KeyPair>, dir };
}

function issueInChildProcess(req: IssueRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./issue-process.js', import.meta.url), [JSON.stringify(req)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`issuing certificates failed: ${stderr.trim()}`))));
  });
}
