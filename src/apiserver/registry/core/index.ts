import type { ResourceDefinition } from '../resource.js';
import { configMaps } from './configmaps.js';
import { endpoints } from './endpoints.js';
import { events } from './events.js';
import { limitRanges } from './limitranges.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { persistentVolumeClaims } from './persistentvolumeclaims.js';
import { persistentVolumes } from './persistentvolumes.js';
import { pods } from './pods.js';
import { podTemplates } from './podtemplates.js';
import { replicationControllers } from './replicationcontrollers.js';
import { resourceQuotas } from './resourcequotas.js';
import { secrets } from './secrets.js';
import { serviceAccounts } from './serviceaccounts.js';
import { services } from './services.js';
import { bindings } from './bindings.js';
import { componentStatuses } from './componentstatuses.js';

/** Every resource of the core group (v1) served, in discovery order. */
export const CORE_V1_RESOURCES: ResourceDefinition[] = [
  bindings, componentStatuses, configMaps, endpoints, events, limitRanges, namespaces, nodes, persistentVolumeClaims, persistentVolumes, pods, podTemplates, replicationControllers, resourceQuotas, secrets, serviceAccounts, services];
