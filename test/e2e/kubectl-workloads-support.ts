/**
 * What the workload e2e suites (kubectl-workloads-*.test.ts) share: the `tskube up` arguments
 * (three simulated nodes), API reads and polls through the test client, a watch that keeps every
 * object it saw, and exact `kubectl describe` comparison — describe output is laid out by Go's
 * text/tabwriter (padding 2, cells ended by tabs, a line without a tab ending the block), so the
 * expected text is written as the describer writes it, tabs included, and laid out here the same way.
 */
import assert from 'node:assert/strict';
import { PLACEHOLDERS, VERSIONS, type Harness, type KubectlVersion } from './kubectl-harness.js';

/** `tskube up` with three simulated nodes. */
export const WORKLOAD_SERVER_ARGS = ['--sim-nodes', '3'];
/** kubectl 1.27, 1.32 and 1.33. */
export const WORKLOAD_VERSIONS: KubectlVersion[] = VERSIONS;
/** The names of the simulated nodes. */
export const SIM_NODES = ['sim-node-0', 'sim-node-1', 'sim-node-2'];
/** The characters of generated name suffixes and of pod-template-hash values. */
export const SAFE_CHARS = '[bcdfghjklmnpqrstvwxz2456789]';

// --- API access -----------------------------------------------------------------------------------

/** GETs `path` and returns its JSON body; fails on any status but 200. */
export async function getJson(h: Harness, path: string): Promise<any> {
  const r = await h.client.request('GET', path);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** The status code of GET `path`. */
export async function statusOf(h: Harness, path: string): Promise<number> {
  return (await h.client.request('GET', path)).status;
}

/** The items of a list at `path` (a query string may select). */
export async function listItems(h: Harness, path: string): Promise<any[]> {
  return (await getJson(h, path)).items;
}

/** Thrown by a {@link waitFor} probe to fail at once: what it waits for can no longer happen. */
export class StopWaiting extends Error {}

/**
 * Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`,
 * or at once when the probe throws {@link StopWaiting} (other errors count as "not yet").
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      if (e instanceof StopWaiting) throw new Error(`while waiting for ${what}: ${e.message}`);
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Paths of the namespaced resources the suites read. */
export const paths = {
  pods: (ns: string) => `/api/v1/namespaces/${ns}/pods`,
  events: (ns: string) => `/api/v1/namespaces/${ns}/events`,
  services: (ns: string) => `/api/v1/namespaces/${ns}/services`,
  endpoints: (ns: string) => `/api/v1/namespaces/${ns}/endpoints`,
  configMaps: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`,
  serviceAccounts: (ns: string) => `/api/v1/namespaces/${ns}/serviceaccounts`,
  quotas: (ns: string) => `/api/v1/namespaces/${ns}/resourcequotas`,
  deployments: (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  replicaSets: (ns: string) => `/apis/apps/v1/namespaces/${ns}/replicasets`,
  jobs: (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  cronJobs: (ns: string) => `/apis/batch/v1/namespaces/${ns}/cronjobs`,
  endpointSlices: (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  pdbs: (ns: string) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
};

/** Whether a pod's Ready condition is True. */
export function podReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** The pods of `ns` matching `selector`, sorted by name (the order the server lists them in). */
export async function podsBySelector(h: Harness, ns: string, selector: string): Promise<any[]> {
  const items = await listItems(h, `${paths.pods(ns)}?labelSelector=${encodeURIComponent(selector)}`);
  return items.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** The ReplicaSets controlled by the Deployment `name`, oldest revision first. */
export async function replicaSetsOf(h: Harness, ns: string, name: string): Promise<any[]> {
  const items = await listItems(h, paths.replicaSets(ns));
  return items
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((o: any) => o.kind === 'Deployment' && o.name === name && o.controller))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** The `deployment.kubernetes.io/revision` of a ReplicaSet or Deployment. */
export function revisionOf(obj: any): number {
  return Number(obj.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

/**
 * Waits until the Deployment `name` has observed its generation and has `replicas` updated, ready
 * and available replicas and no others, and until exactly that many non-terminating pods of its
 * newest ReplicaSet are ready; returns the deployment.
 */
export async function waitForRollout(h: Harness, ns: string, name: string, replicas: number, timeoutMs = 30_000): Promise<any> {
  return waitFor(async () => {
    const d = await getJson(h, `${paths.deployments(ns)}/${name}`);
    const s = d.status ?? {};
    const done = (s.observedGeneration ?? 0) >= d.metadata.generation && (s.updatedReplicas ?? 0) === replicas &&
      (s.replicas ?? 0) === replicas && (s.readyReplicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas;
    return done ? d : undefined;
  }, timeoutMs, `deployment ${ns}/${name} to roll out ${replicas} replicas`);
}

/** The controller owner reference of `obj`, if any. */
export function controllerOf(obj: any): any | undefined {
  return (obj.metadata.ownerReferences ?? []).find((o: any) => o.controller === true);
}

/** The events of `ns` about the object `name` of `kind`, oldest first by creation. */
export async function eventsAbout(h: Harness, ns: string, kind: string, name: string): Promise<any[]> {
  const sel = encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`);
  return listItems(h, `${paths.events(ns)}?fieldSelector=${sel}`);
}

// --- Watches --------------------------------------------------------------------------------------

/** A watch that applies every event to a map of the objects it holds and calls `onChange` after each. */
export interface LiveWatch {
  /** The objects seen, by name (deleted ones removed). */
  objects: Map<string, any>;
  /** Every event's type and object, in order. */
  events: Array<{ type: string; object: any }>;
  stop(): void;
}

/**
 * Lists `path` (a collection, optionally with `?labelSelector=`), then watches it from the list's
 * resourceVersion, so that `objects` is the collection's true state after each event.
 */
export async function liveWatch(h: Harness, path: string, onChange: (objects: Map<string, any>) => void): Promise<LiveWatch> {
  const list = await getJson(h, path);
  const objects = new Map<string, any>(list.items.map((o: any) => [o.metadata.name, o]));
  const events: Array<{ type: string; object: any }> = [];
  onChange(objects);
  const sep = path.includes('?') ? '&' : '?';
  const w = await h.client.watch(`${path}${sep}watch=1&resourceVersion=${list.metadata.resourceVersion}`, (e) => {
    events.push(e);
    if (e.type === 'ADDED' || e.type === 'MODIFIED') objects.set(e.object.metadata.name, e.object);
    else if (e.type === 'DELETED') objects.delete(e.object.metadata.name);
    else return;
    onChange(objects);
  });
  assert.equal(w.status, 200, `watch ${path}`);
  return { objects, events, stop: () => w.stop() };
}

// --- Formats --------------------------------------------------------------------------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 3339 timestamp as Go's time.RFC1123Z prints it in UTC (`Mon, 07 Dec 2026 06:28:09 +0000`). */
export function rfc1123z(ts: string): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A duration as apimachinery's HumanDuration prints it (only the ranges under ten minutes). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
}

// --- Go's text/tabwriter --------------------------------------------------------------------------

/** A line of raw describer output that flushes the tab writer (DescribeEvents does) and prints nothing. */
export const FLUSH = '\f';

/**
 * `raw` lines (cells ended by tabs, no newlines) laid out as Go's tabwriter with minwidth 0,
 * padding 2 and spaces lays them out: column blocks are runs of consecutive lines having that
 * column; each cell of a block is padded to the block's widest cell plus two; the text after a
 * line's last tab is written as is; a line without a tab ends the block (the writer flushes).
 */
export function goTabwriter(raw: string[]): string {
  let out = '';
  let pending: string[][] = [];
  const flush = () => {
    out += formatBlock(pending, 0, 0, pending.length, []);
    pending = [];
  };
  for (const line of raw) {
    if (line === FLUSH) { flush(); continue; }
    const cells = line.split('\t');
    pending.push(cells);
    if (cells.length === 1) flush();
  }
  flush();
  return out;
}

/** Lays out lines [from, to) whose columns before `column` have the given widths. */
function formatBlock(lines: string[][], column: number, from: number, to: number, widths: number[]): string {
  let out = '';
  let start = from;
  for (let i = from; i < to; i++) {
    if (column >= lines[i].length - 1) continue;
    out += writeLines(lines, start, i, widths);
    let width = 0;
    let end = i;
    for (; end < to && column < lines[end].length - 1; end++) width = Math.max(width, [...lines[end][column]].length + 2);
    out += formatBlock(lines, column + 1, i, end, [...widths, width]);
    start = end;
    i = end - 1;
  }
  return out + writeLines(lines, start, to, widths);
}

function writeLines(lines: string[][], from: number, to: number, widths: number[]): string {
  let out = '';
  for (let i = from; i < to; i++) {
    out += lines[i].map((c, j) => (j < widths.length && j < lines[i].length - 1 ? c + ' '.repeat(widths[j] - [...c].length) : c)).join('') + '\n';
  }
  return out;
}

const PLACEHOLDER_SPLIT = new RegExp(`(${Object.keys(PLACEHOLDERS).map((k) => k.replace(/[{}]/g, '\\$&')).join('|')})`);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Asserts `actual` is `raw` (describer output with its tabs, one string per line) as kubectl lays
 * it out. Placeholders ({age}, {ip}, …) take the values found at their places; the filled text is
 * then laid out by {@link goTabwriter} and compared byte for byte.
 */
export function assertDescribe(actual: string, raw: string[], what: string): void {
  const printed = raw.filter((l) => l !== FLUSH);
  const source = printed.map((line) => line.split('\t').map((cell) => cell.split(PLACEHOLDER_SPLIT)
    .map((p) => (PLACEHOLDERS[p] ? `(${PLACEHOLDERS[p]})` : escapeRe(p))).join('')).join(' *')).join('\n');
  const m = new RegExp(`^${source}\n$`).exec(actual);
  if (!m) assert.fail(`${what}: got\n${actual}\nexpected (placeholders unfilled)\n${goTabwriter(raw)}`);
  let next = 1;
  const filled = raw.map((line) => line.split(PLACEHOLDER_SPLIT).map((p) => (PLACEHOLDERS[p] ? m[next++] : p)).join(''));
  assert.equal(actual, goTabwriter(filled), `${what}: the columns are not laid out as kubectl lays them out`);
}

// --- Describer pieces (what kubectl's describers write, per version) ------------------------------

/** `Title:\tk=v` lines of a label map, sorted by key; `<none>` when empty. */
export function labelLines(title: string, labels: Record<string, string> | undefined): string[] {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${labels![k]}`);
}

/** `Title:\tk: v` lines of an annotation map (short values only), sorted by key; `<none>` when empty. */
export function annotationLines(title: string, annotations: Record<string, string> | undefined): string[] {
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration').sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}: ${annotations![k]}`);
}

/** Whether this kubectl prints Node-Selectors and Tolerations in pod templates (1.28 and later). */
export function templatePrintsScheduling(version: KubectlVersion): boolean {
  return Number(version.minor.split('.')[1]) >= 28;
}

/**
 * The `Pod Template:` section kubectl prints for a template whose containers have no ports, env,
 * resources or mounts and whose pod has no volumes; commands are printed when present.
 */
export function podTemplateLines(template: any, version: KubectlVersion): string[] {
  const lines = ['Pod Template:', ...labelLines('  Labels', template.metadata?.labels)];
  if (Object.keys(template.metadata?.annotations ?? {}).length) lines.push(...annotationLines('  Annotations', template.metadata.annotations));
  lines.push('  Containers:');
  for (const c of template.spec.containers) {
    lines.push(`   ${c.name}:`, `    Image:\t${c.image}`, '    Port:\t<none>', '    Host Port:\t<none>');
    if (c.command?.length) lines.push('    Command:', ...c.command.map((s: string) => `      ${s}`));
    if (c.args?.length) lines.push('    Args:', ...c.args.map((s: string) => `      ${s}`));
    lines.push('    Environment:\t<none>', '    Mounts:\t<none>');
  }
  lines.push('  Volumes:\t<none>');
  if (templatePrintsScheduling(version)) {
    lines.push(...labelLines('  Node-Selectors', template.spec.nodeSelector));
    lines.push(...tolerationLines('  Tolerations', template.spec.tolerations));
  }
  return lines;
}

/** Toleration lines as kubectl prints them, sorted by key. */
export function tolerationLines(title: string, tolerations: any[] | undefined): string[] {
  if (!tolerations?.length) return [`${title}:\t<none>`];
  const sorted = [...tolerations].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  return sorted.map((t, i) => {
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    return `${i === 0 ? `${title}:` : ''}\t${s}`;
  });
}

/** An event row: type, reason, from, message. */
export type EventRow = [string, string, string, string];

/** The `Events:` section for rows in the order kubectl shows them, each with an {age} placeholder. */
export function eventLines(rows: EventRow[]): string[] {
  if (!rows.length) return ['Events:\t<none>'];
  return [FLUSH, 'Events:', '  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------',
    ...rows.map(([type, reason, from, message]) => `  ${type}\t${reason}\t{age}\t${from}\t${message}`)];
}
