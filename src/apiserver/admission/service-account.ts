import { randomInt } from 'node:crypto';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** The service account a pod runs as when it names none. */
const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Where the API credentials are mounted in every container. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The alphabet of generated name suffixes (no vowels, no look-alikes), as upstream's. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE_ALPHABET[randomInt(SAFE_ALPHABET.length)];
  return out;
}

/** The projected volume upstream mounts: a bound token, the cluster CA and the namespace. */
function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/**
 * ServiceAccount admission: a new pod that names no service account runs as `default` (the
 * deprecated `serviceAccount` field mirrors `serviceAccountName`), and unless the pod sets
 * `automountServiceAccountToken: false` or already mounts something at the token path, it gets
 * a `kube-api-access-<5>` projected volume mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every init and app container, as upstream.
 * The service account's existence is not checked, so that the API server alone (without the
 * controller that creates `default` accounts) still takes pods.
 */
export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  mutate({ op, def, subresource, obj }: AdmissionAttributes): void {
    if (op !== 'create' || subresource || def.group !== '' || def.plural !== 'pods') return;
    const spec = (obj.spec ??= {});
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.automountServiceAccountToken === false) return;
    const containers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])]
      .filter((c) => c && typeof c === 'object');
    const mounted = containers.some((c) => Array.isArray(c.volumeMounts) && c.volumeMounts.some((m: any) => m?.mountPath === TOKEN_MOUNT_PATH));
    if (mounted || containers.length === 0) return;
    const name = `kube-api-access-${randomSuffix(5)}`;
    spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), apiAccessVolume(name)];
    for (const c of containers) {
      c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    }
  },
};
