import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateQualifiedName } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../printing.js';
import { duplicateValue, notSupported } from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';

const listOf = (v: unknown): ApiObject[] => (Array.isArray(v) ? v.filter(isObj) : []);
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function validateTaints(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  listOf(taints).forEach((t, i) => {
    const at = `spec.taints[${i}]`;
    errs.push(...validateQualifiedName(`${at}.key`, String(t.key ?? '')));
    const value = String(t.value ?? '');
    if (value.length > 63) errs.push(invalidValue(`${at}.value`, value, 'must be no more than 63 characters'));
    else if (!LABEL_VALUE.test(value)) errs.push(invalidValue(`${at}.value`, value, LABEL_VALUE_MSG));
    if (!t.effect) errs.push(requiredValue(`${at}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${String(t.effect ?? '')}\u0000${String(t.key ?? '')}`;
    if (seen.has(key)) {
      const dup = duplicateValue(at, JSON.stringify(t));
      errs.push({ ...dup, detail: `${dup.detail}: taints must be unique by key and effect pair` });
    }
    seen.add(key);
  });
  return errs;
}

function validateNodeUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validateTaints(obj.spec?.taints);
  const oldCidrs: unknown[] = Array.isArray(old.spec?.podCIDRs) ? old.spec.podCIDRs : [];
  if (oldCidrs.length > 0 && JSON.stringify(oldCidrs) !== JSON.stringify(obj.spec?.podCIDRs ?? [])) {
    errs.push({ type: 'FieldValueForbidden', field: 'spec.podCIDRs', detail: 'Forbidden: node updates may not change podCIDR except from "" to valid' });
  }
  if (old.spec?.providerID && old.spec.providerID !== obj.spec?.providerID) {
    errs.push({ type: 'FieldValueForbidden', field: 'spec.providerID', detail: 'Forbidden: node updates may not change providerID except from "" to valid' });
  }
  return errs;
}

/** The roles a node's labels give it (`node-role.kubernetes.io/<role>`, `kubernetes.io/role=<role>`), sorted. */
export function nodeRoles(labels: unknown): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(isObj(labels) ? labels : {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(String(v));
  }
  return [...roles].sort();
}

/** The Status cell of a node: `Ready`/`NotReady`/`Unknown` from its Ready condition, plus `SchedulingDisabled`. */
export function nodeStatusCell(node: ApiObject): string {
  const status: string[] = [];
  const ready = listOf(node.status?.conditions).filter((c) => c.type === 'Ready').pop();
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: ApiObject, type: string): string {
  const a = listOf(node.status?.addresses).find((x) => x.type === type);
  return a ? String(a.address ?? '') : '<none>';
}

const orUnknown = (v: unknown) => (typeof v === 'string' && v !== '' ? v : '<unknown>');

/** core/v1 Node: a machine pods run on (cluster-scoped; its status is reported by the kubelet). */
export const nodes: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  table: {
    columns: [
      { name: 'Status', type: 'string', description: 'Whether the node is ready, and whether scheduling onto it is disabled.' },
      { name: 'Roles', type: 'string', description: 'The roles the node\'s labels give it.' },
      AGE_COLUMN,
      { name: 'Version', type: 'string', description: 'The version of the node\'s kubelet.' },
      { name: 'Internal-IP', type: 'string', priority: 1, description: 'The node\'s first internal IP address.' },
      { name: 'External-IP', type: 'string', priority: 1, description: 'The node\'s first external IP address.' },
      { name: 'OS-Image', type: 'string', priority: 1, description: 'The operating system image the node reports.' },
      { name: 'Kernel-Version', type: 'string', priority: 1, description: 'The kernel version the node reports.' },
      { name: 'Container-Runtime', type: 'string', priority: 1, description: 'The container runtime and version the node reports.' },
    ],
    cells(obj, now) {
      const roles = nodeRoles(obj.metadata?.labels).join(',');
      const info: ApiObject = isObj(obj.status?.nodeInfo) ? obj.status.nodeInfo : {};
      return [
        nodeStatusCell(obj), roles || '<none>', ageOf(obj.metadata?.creationTimestamp, now), String(info.kubeletVersion ?? ''),
        address(obj, 'InternalIP'), address(obj, 'ExternalIP'), orUnknown(info.osImage), orUnknown(info.kernelVersion), orUnknown(info.containerRuntimeVersion),
      ];
    },
  },
  strategy: {
    defaults(obj) {
      // podCIDR mirrors the first of podCIDRs (a lone podCIDR becomes the list).
      if (isObj(obj.spec)) {
        const cidrs: unknown[] = Array.isArray(obj.spec.podCIDRs) ? obj.spec.podCIDRs : [];
        if (cidrs.length === 0 && typeof obj.spec.podCIDR === 'string' && obj.spec.podCIDR) obj.spec.podCIDRs = [obj.spec.podCIDR];
        if (Array.isArray(obj.spec.podCIDRs) && typeof obj.spec.podCIDRs[0] === 'string') obj.spec.podCIDR = obj.spec.podCIDRs[0];
      }
      // Allocatable defaults to capacity.
      if (isObj(obj.status) && isObj(obj.status.capacity) && obj.status.allocatable === undefined) obj.status.allocatable = { ...obj.status.capacity };
    },
    // A node may be created with its status (kubelets register that way).
    prepareForCreate() {},
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: (obj) => validateTaints(obj.spec?.taints),
    validateUpdate: validateNodeUpdate,
    validateStatusUpdate: validateNodeUpdate,
    fieldSelectorFields: (obj) => ({ 'spec.unschedulable': String(obj.spec?.unschedulable === true) }),
  },
};
