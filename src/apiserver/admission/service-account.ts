import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** The service account a pod runs as when it names none. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * ServiceAccount admission, the part that needs no token machinery: a new pod that names no
 * service account runs as `default`, and the deprecated `serviceAccount` field mirrors
 * `serviceAccountName`. (Mounting an API token into the pod comes with token issuance.)
 */
export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  mutate({ op, def, subresource, obj }: AdmissionAttributes): void {
    if (op !== 'create' || subresource || def.group !== '' || def.plural !== 'pods') return;
    const spec = (obj.spec ??= {});
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccount = spec.serviceAccountName;
  },
};
