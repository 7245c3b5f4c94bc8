/**
 * Defaulting and validation of pod specs, shared by every resource that embeds one: pods, pod
 * templates, replication controllers and the workload controllers of other groups. Rules, field
 * paths and messages follow upstream Kubernetes v1.32 (`SetDefaults_*` of core/v1 and
 * `ValidatePodSpec` of core validation); the code is tskube's own.
 */
import type { FieldError } from '../../../machinery/status.js';
import {
  invalidValue, requiredValue, validateAnnotations, validateDns1123Label, validateDns1123Subdomain, validateLabels, validateQualifiedName,
} from '../../../machinery/validation.js';
import type { ApiObject } from '../resource.js';
import { formatQuantity } from '../printing.js';
import { isApiObject as isObj } from '../resource.js';

// ---------------------------------------------------------------------------------------------
// Field errors of the kinds machinery/validation.ts does not build.

/** Renders a bad value as upstream's field errors do: strings quoted, numbers and booleans bare. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  return String(value);
}

/** `<field>: Unsupported value: "<v>": supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { type: 'FieldValueNotSupported', field, detail: `Unsupported value: ${showValue(value)}${supported.length ? `: supported values: ${list}` : ''}` };
}

/** `<field>: Duplicate value: "<v>"`. */
export function duplicateValue(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${showValue(value)}` };
}

/** `<field>: Forbidden: <why>`. */
export function forbidden(field: string, why: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: why ? `Forbidden: ${why}` : 'Forbidden' };
}

/**
 * `<field>: Not found: "<v>"`. FieldError's type union lacks upstream's `FieldValueNotFound`, so the
 * reason is widened here; the status machinery copies it into the cause as is.
 */
export function notFoundValue(field: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, detail: `Not found: ${showValue(value)}` };
}

/** `must be between <lo> and <hi>, inclusive`, upstream's range message. */
export function inclusiveRange(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Upstream's message for a negative value where zero or more is required. */
export const NON_NEGATIVE_MSG = 'must be greater than or equal to 0';

/** Errors when `value` (a number when present) is negative. */
export function validateNonNegative(field: string, value: unknown): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalidValue(field, value, NON_NEGATIVE_MSG)] : [];
}

const listOf = (v: unknown): ApiObject[] => (Array.isArray(v) ? v.filter(isObj) : []);

// ---------------------------------------------------------------------------------------------
// Quantities (`500m`, `1Gi`, `2e3`).

const QUANTITY = /^([+-]?[0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$/;
const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Upstream's message for a string that is not a resource quantity. */
export const QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The value of a quantity (a string or a JSON number) in base units, or undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q);
  if (!m || !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(m[1])) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return n * SUFFIX[suffix];
}

// ---------------------------------------------------------------------------------------------
// Defaulting.

/** `Always` for an image without a tag or tagged `latest`, `IfNotPresent` otherwise (also for digests). */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObj(probe.httpGet)) {
    if (probe.httpGet.path === undefined || probe.httpGet.path === '') probe.httpGet.path = '/';
    if (!probe.httpGet.scheme) probe.httpGet.scheme = 'HTTP';
  }
  if (isObj(probe.grpc)) probe.grpc.service ??= '';
}

function defaultLifecycleHandler(handler: unknown): void {
  if (!isObj(handler) || !isObj(handler.httpGet)) return;
  if (handler.httpGet.path === undefined || handler.httpGet.path === '') handler.httpGet.path = '/';
  if (!handler.httpGet.scheme) handler.httpGet.scheme = 'HTTP';
}

function defaultEnv(env: unknown): void {
  for (const e of listOf(env)) {
    if (isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  }
}

/**
 * Fills the defaults of one container in place, as upstream's nested defaulters do wherever a pod
 * spec appears: pull policy from the image tag, termination message path and policy, port
 * protocols, probe timings and handlers, empty resources, field-ref API versions.
 */
export function defaultContainer(c: ApiObject): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of listOf(c.ports)) if (!p.protocol) p.protocol = 'TCP';
  if (!isObj(c.resources)) c.resources = {};
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultLifecycleHandler(c.lifecycle.postStart);
    defaultLifecycleHandler(c.lifecycle.preStop);
  }
  defaultEnv(c.env);
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

/** Default file mode of secret, configMap, downwardAPI and projected volumes (0644). */
const DEFAULT_MODE = 420;

function defaultVolume(v: ApiObject): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[s])) v[s].defaultMode ??= DEFAULT_MODE;
  }
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  if (isObj(v.downwardAPI)) {
    for (const item of listOf(v.downwardAPI.items)) if (isObj(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
  }
  if (isObj(v.projected)) {
    for (const src of listOf(v.projected.sources)) {
      if (isObj(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
      if (isObj(src.downwardAPI)) {
        for (const item of listOf(src.downwardAPI.items)) if (isObj(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
      }
    }
  }
  if (isObj(v.iscsi)) v.iscsi.iscsiInterface ||= 'default';
  if (isObj(v.rbd)) {
    v.rbd.pool ||= 'rbd';
    v.rbd.user ||= 'admin';
    v.rbd.keyring ||= '/etc/ceph/keyring';
  }
  if (isObj(v.azureDisk)) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
  if (isObj(v.scaleIO)) {
    v.scaleIO.storageMode ||= 'ThinProvisioned';
    v.scaleIO.fsType ||= 'xfs';
  }
}

/**
 * Fills the defaults of a pod spec in place, wherever it appears (pods and every pod template):
 * restart and DNS policies, scheduler name, grace period, an empty security context, containers,
 * volumes, and `serviceAccount` mirrored from `serviceAccountName` (and back). Fields upstream
 * fills only on Pod objects are {@link defaultPodOnlyFields}.
 */
export function defaultPodSpec(spec: ApiObject): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of listOf(spec[field])) defaultContainer(c);
  }
  for (const v of listOf(spec.volumes)) defaultVolume(v);
}

/**
 * The defaults a Pod object gets beyond {@link defaultPodSpec} (pod templates do not get these):
 * `enableServiceLinks`, container requests copied from limits where missing, host ports equal to
 * container ports on the host network. (`priority` and `preemptionPolicy` come from the Priority
 * admission plugin.)
 */
export function defaultPodOnlyFields(spec: ApiObject): void {
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const field of ['containers', 'initContainers']) {
    for (const c of listOf(spec[field])) {
      const res = isObj(c.resources) ? c.resources : (c.resources = {});
      if (isObj(res.limits) && Object.keys(res.limits).length > 0) {
        res.requests = isObj(res.requests) ? res.requests : {};
        for (const [name, q] of Object.entries(res.limits)) if (!(name in res.requests)) res.requests[name] = q;
      }
      if (hostNetwork) {
        for (const p of listOf(c.ports)) if ((p.hostPort === undefined || p.hostPort === 0) && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
      }
    }
  }
}

/** Fills the defaults of a pod template (`{metadata, spec}`) in place. */
export function defaultPodTemplateSpec(tpl: ApiObject): void {
  markEmbeddedMetadata(tpl);
  if (!isObj(tpl.spec)) tpl.spec = {};
  defaultPodSpec(tpl.spec);
}

/**
 * Gives an embedded object's metadata (a template's) the `creationTimestamp: null` upstream's JSON
 * always carries there: Go prints a zero timestamp as null, and a struct is never left out.
 */
export function markEmbeddedMetadata(tpl: ApiObject): void {
  if (!isObj(tpl.metadata)) tpl.metadata = {};
  if (!('creationTimestamp' in tpl.metadata)) tpl.metadata.creationTimestamp = null;
}

// ---------------------------------------------------------------------------------------------
// Validation.

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** Upstream's messages for a port name that is not an IANA service name (empty when it is one). */
export function portNameErrors(name: string): string[] {
  const msgs: string[] = [];
  if (name.length > 15) msgs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) msgs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) msgs.push('must not contain consecutive hyphens');
  if (name.length > 0 && !/[a-z]/.test(name)) msgs.push('must contain at least one letter (a-z)');
  if (name.startsWith('-') || name.endsWith('-')) msgs.push('must not begin or end with a hyphen');
  return msgs;
}

/** Errors for a port number that must lie in 1..65535. */
export function validatePortNumber(field: string, port: unknown): FieldError[] {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return [invalidValue(field, port, inclusiveRange(1, 65535))];
  return [];
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  listOf(ports).forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (typeof p.name === 'string' && p.name.length > 0) {
      const msgs = portNameErrors(p.name);
      if (msgs.length) for (const m of msgs) errs.push(invalidValue(`${at}.name`, p.name, m));
      else if (names.has(p.name)) errs.push(duplicateValue(`${at}.name`, p.name));
      else names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(requiredValue(`${at}.containerPort`));
    else errs.push(...validatePortNumber(`${at}.containerPort`, p.containerPort));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...validatePortNumber(`${at}.hostPort`, p.hostPort));
    if (!p.protocol) errs.push(requiredValue(`${at}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  listOf(env).forEach((e, i) => {
    const at = `${path}[${i}]`;
    if (!e.name) errs.push(requiredValue(`${at}.name`));
    else if ([...String(e.name)].some((ch) => ch < ' ' || ch > '~' || ch === '=')) {
      errs.push(invalidValue(`${at}.name`, e.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    if (isObj(e.valueFrom)) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((s) => e.valueFrom[s] !== undefined && e.valueFrom[s] !== null);
      if (sources.length === 0) errs.push(invalidValue(`${at}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) errs.push(invalidValue(`${at}.valueFrom`, '', 'may not have more than one field specified at a time'));
      if (e.value !== undefined && e.value !== '' && sources.length > 0) errs.push(invalidValue(`${at}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

/** Errors of a container resource name (`cpu`, `memory`, `ephemeral-storage`, `hugepages-*` or a qualified extended name). */
function validateContainerResourceName(name: string, at: string): FieldError[] {
  const errs = validateQualifiedName(at, name);
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.includes(name) && !name.startsWith('hugepages-')) errs.push(invalidValue(at, name, 'must be a standard resource for containers'));
  }
  return errs;
}

function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(list)) return errs;
  for (const [name, q] of Object.entries(list)) {
    const at = `${path}[${name}]`;
    errs.push(...validateContainerResourceName(name, at));
    const v = parseQuantity(q);
    if (v === undefined) errs.push(invalidValue(at, String(q), QUANTITY_MSG));
    else if (v < 0) errs.push(invalidValue(at, formatQuantity(q), NON_NEGATIVE_MSG));
  }
  return errs;
}

/** Whether requests may be below limits for the resource (not for hugepages or extended resources). */
const overcommitAllowed = (name: string) => !name.includes('/') && !name.startsWith('hugepages-');

function validateResources(res: unknown, path: string): FieldError[] {
  if (!isObj(res)) return [];
  const errs = validateResourceList(res.limits, `${path}.limits`);
  const limits: ApiObject = isObj(res.limits) ? res.limits : {};
  const requests: ApiObject = isObj(res.requests) ? res.requests : {};
  for (const [name, q] of Object.entries(requests)) {
    errs.push(...validateResourceList({ [name]: q }, `${path}.requests`));
    const req = parseQuantity(q);
    if (name in limits) {
      const lim = parseQuantity(limits[name]);
      if (req === undefined || lim === undefined) continue;
      if (req !== lim && !overcommitAllowed(name)) {
        errs.push(invalidValue(`${path}.requests`, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limits[name])}`));
      } else if (req > lim) {
        errs.push(invalidValue(`${path}.requests`, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limits[name])}`));
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(requiredValue(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumeNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seenPaths = new Set<string>();
  listOf(mounts).forEach((m, i) => {
    const at = `${path}[${i}]`;
    if (!m.name) errs.push(requiredValue(`${at}.name`));
    else if (!volumeNames.has(m.name)) errs.push(notFoundValue(`${at}.name`, m.name));
    if (!m.mountPath) errs.push(requiredValue(`${at}.mountPath`));
    else if (seenPaths.has(m.mountPath)) errs.push(invalidValue(`${at}.mountPath`, m.mountPath, 'must be unique'));
    else seenPaths.add(m.mountPath);
    if (typeof m.subPath === 'string' && m.subPath.length > 0) {
      if (m.subPath.startsWith('/')) errs.push(invalidValue(`${at}.subPath`, m.subPath, 'must be a relative path'));
      else if (m.subPath.split('/').includes('..')) errs.push(invalidValue(`${at}.subPath`, m.subPath, "must not contain '..'"));
    }
  });
  return errs;
}

function validateProbe(probe: unknown, path: string): FieldError[] {
  if (!isObj(probe)) return [];
  const errs: FieldError[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length === 0) errs.push(requiredValue(path, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(forbidden(`${path}.${handlers[1]}`, `may not specify more than 1 handler type`));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonNegative(`${path}.${f}`, probe[f]));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidValue(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

/** Checks common to regular and init containers. */
function validateContainer(c: ApiObject, volumeNames: Set<string>, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(requiredValue(`${at}.name`));
  else errs.push(...validateDns1123Label(`${at}.name`, String(c.name)));
  if (!c.image) errs.push(requiredValue(`${at}.image`));
  if (!c.terminationMessagePolicy) errs.push(requiredValue(`${at}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(`${at}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validatePorts(c.ports, `${at}.ports`));
  errs.push(...validateEnv(c.env, `${at}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumeNames, `${at}.volumeMounts`));
  if (!c.imagePullPolicy) errs.push(requiredValue(`${at}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResources(c.resources, `${at}.resources`));
  return errs;
}

function validateContainerList(list: unknown, volumeNames: Set<string>, names: Set<string>, path: string, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  listOf(list).forEach((c, i) => {
    const at = `${path}[${i}]`;
    errs.push(...validateContainer(c, volumeNames, at));
    if (c.name) {
      if (names.has(c.name)) errs.push(duplicateValue(`${at}.name`, c.name));
      else names.add(c.name);
    }
    if (init) {
      if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') errs.push(notSupported(`${at}.restartPolicy`, c.restartPolicy, ['Always']));
      if (c.restartPolicy !== 'Always') {
        for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
          if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(`${at}.${f}`, `may not be set for init containers without restartPolicy=Always`));
        }
      }
    } else {
      errs.push(...validateProbe(c.livenessProbe, `${at}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, `${at}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, `${at}.startupProbe`));
      if (isObj(c.livenessProbe) && c.livenessProbe.successThreshold !== undefined && c.livenessProbe.successThreshold !== 1) {
        errs.push(invalidValue(`${at}.livenessProbe.successThreshold`, c.livenessProbe.successThreshold, 'must be 1'));
      }
      if (c.restartPolicy !== undefined) errs.push(forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'));
    }
  });
  return errs;
}

function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  listOf(volumes).forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (!v.name) errs.push(requiredValue(`${at}.name`));
    else {
      errs.push(...validateDns1123Label(`${at}.name`, String(v.name)));
      if (names.has(v.name)) errs.push(duplicateValue(`${at}.name`, v.name));
      else names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (sources.length === 0) errs.push(requiredValue(at, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (isObj(v.hostPath) && !v.hostPath.path) errs.push(requiredValue(`${at}.hostPath.path`));
    if (isObj(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) errs.push(requiredValue(`${at}.persistentVolumeClaim.claimName`));
    if (isObj(v.configMap) && !v.configMap.name) errs.push(requiredValue(`${at}.configMap.name`));
    if (isObj(v.secret) && v.secret.secretName !== undefined && v.secret.secretName === '') errs.push(requiredValue(`${at}.secret.secretName`));
    if (isObj(v.nfs)) {
      if (!v.nfs.server) errs.push(requiredValue(`${at}.nfs.server`));
      if (!v.nfs.path) errs.push(requiredValue(`${at}.nfs.path`));
    }
  });
  return { errs, names };
}

function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  listOf(tolerations).forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.key) errs.push(...validateQualifiedName(`${at}.key`, String(t.key)));
    if (!t.key && t.operator !== 'Exists') errs.push(invalidValue(`${at}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalidValue(`${at}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (t.operator !== undefined && t.operator !== '' && !TOLERATION_OPERATORS.includes(t.operator)) {
      errs.push(notSupported(`${at}.operator`, t.operator, TOLERATION_OPERATORS));
    } else if (t.operator === 'Exists' && t.value) {
      errs.push(invalidValue(`${at}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    }
    if (t.effect) {
      if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

/**
 * Field errors of a (defaulted) pod spec at `path` (`spec`, `spec.template.spec`): containers and
 * init containers (names, images, ports, env, mounts, resources, pull and termination-message
 * policies), volumes, restart and DNS policies, node selector, tolerations, names of the service
 * account, node, host and subdomain, deadlines and grace periods, preemption policy.
 */
export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  if (!isObj(spec)) return [requiredValue(`${path}.containers`)];
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    errs.push(requiredValue(`${path}.terminationGracePeriodSeconds`));
  }
  const { errs: volErrs, names: volumeNames } = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volErrs);
  const containerNames = new Set<string>();
  const containers = listOf(spec.containers);
  if (containers.length === 0) errs.push(requiredValue(`${path}.containers`));
  else errs.push(...validateContainerList(containers, volumeNames, containerNames, `${path}.containers`, false));
  errs.push(...validateContainerList(spec.initContainers, volumeNames, containerNames, `${path}.initContainers`, true));
  if (!spec.restartPolicy) errs.push(requiredValue(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(requiredValue(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(`${path}.nodeSelector`, spec.nodeSelector));
  if (isObj(spec.securityContext)) {
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
      const v = spec.securityContext[f];
      if (typeof v === 'number' && (v < 0 || v > MAX_INT32)) errs.push(invalidValue(`${path}.securityContext.${f}`, v, inclusiveRange(0, MAX_INT32)));
    }
  }
  listOf(spec.imagePullSecrets).forEach((s, i) => {
    if (!s.name) errs.push(requiredValue(`${path}.imagePullSecrets[${i}].name`));
  });
  if (spec.dnsPolicy === 'None' && !isObj(spec.dnsConfig)) {
    errs.push(requiredValue(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  listOf(spec.readinessGates).forEach((g, i) => {
    errs.push(...validateQualifiedName(`${path}.readinessGates[${i}].conditionType`, String(g.conditionType ?? '')));
  });
  if (spec.serviceAccountName) {
    for (const e of validateDns1123Subdomain(`${path}.serviceAccountName`, String(spec.serviceAccountName))) errs.push(e);
  }
  if (spec.nodeName) errs.push(...validateDns1123Subdomain(`${path}.nodeName`, String(spec.nodeName)));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > MAX_INT32) errs.push(invalidValue(`${path}.activeDeadlineSeconds`, v, inclusiveRange(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...validateDns1123Label(`${path}.hostname`, String(spec.hostname)));
  if (spec.subdomain) errs.push(...validateDns1123Label(`${path}.subdomain`, String(spec.subdomain)));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  if (spec.priorityClassName) errs.push(...validateDns1123Subdomain(`${path}.priorityClassName`, String(spec.priorityClassName)));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && !PREEMPTION_POLICIES.includes(spec.preemptionPolicy)) {
    errs.push(notSupported(`${path}.preemptionPolicy`, spec.preemptionPolicy, PREEMPTION_POLICIES));
  }
  errs.push(...validateNonNegative(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds));
  return errs;
}

/**
 * Field errors of a pod template at `path` (`spec.template`): its labels and annotations (at
 * `<path>.labels`, `<path>.annotations` as upstream reports them), its spec, and no ephemeral containers.
 */
export function validatePodTemplateSpec(tpl: unknown, path: string): FieldError[] {
  if (!isObj(tpl)) return [requiredValue(path)];
  const meta = isObj(tpl.metadata) ? tpl.metadata : {};
  const errs = [
    ...validateLabels(`${path}.labels`, meta.labels),
    ...validateAnnotations(`${path}.annotations`, meta.annotations),
    ...validatePodSpec(tpl.spec, `${path}.spec`),
  ];
  if (isObj(tpl.spec) && Array.isArray(tpl.spec.ephemeralContainers) && tpl.spec.ephemeralContainers.length > 0) {
    errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/**
 * Errors of a controller's pod template whose restart policy must be `Always` (replication
 * controllers, replica sets, deployments): any other policy is unsupported, and an active deadline
 * is forbidden (`activeDeadlineSeconds in <owner> is not Supported`).
 */
export function validateAlwaysRestartTemplate(tpl: unknown, path: string, owner = 'ReplicationController'): FieldError[] {
  if (!isObj(tpl) || !isObj(tpl.spec)) return [];
  const errs: FieldError[] = [];
  if (tpl.spec.restartPolicy !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, tpl.spec.restartPolicy ?? '', ['Always']));
  if (tpl.spec.activeDeadlineSeconds !== undefined && tpl.spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/**
 * Lines naming what differs between two JSON values (`- path: old` / `+ path: new`), appended to
 * "may not change" messages. Upstream prints a Go structural diff there; this is tskube's
 * rendering of the same information.
 */
export function describeChanges(before: unknown, after: unknown, path = ''): string {
  const lines: string[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isObj(a) && isObj(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], at ? `${at}.${k}` : k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${at}[${i}]`));
      return;
    }
    if (a !== undefined) lines.push(`- ${at}: ${JSON.stringify(a)}`);
    if (b !== undefined) lines.push(`+ ${at}: ${JSON.stringify(b)}`);
  };
  walk(before, after, path);
  return lines.join('\n');
}
