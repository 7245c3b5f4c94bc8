import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { KeyPair } from './certificates.js';

/** What a kubeconfig names: the server, the CA that signs it, and a client certificate. */
export interface KubeconfigSpec {
  server: string;
  caPem: string;
  client: KeyPair;
  user: string;
  cluster?: string;
}

/** Renders a kubeconfig (YAML) with the certificates embedded as `*-data`. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.cluster ?? 'tskube';
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caPem) } }],
    users: [{ name: spec.user, user: { 'client-certificate-data': b64(spec.client.certPem), 'client-key-data': b64(spec.client.keyPem) } }],
    contexts: [{ name: `${spec.user}@${cluster}`, context: { cluster, user: spec.user } }],
    'current-context': `${spec.user}@${cluster}`,
    preferences: {},
  });
}

/** Writes a kubeconfig readable only by its owner. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await writeFile(path, renderKubeconfig(spec), { mode: 0o600 });
}
