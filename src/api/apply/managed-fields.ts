/**
 * `metadata.managedFields` read into the ownership table server-side apply works on, and written
 * back the way upstream writes it.
 *
 * Managers are identified as upstream identifies them: by manager name, operation, subresource and
 * (for Update entries only) apiVersion, so one name can hold an Apply entry and several Update
 * entries at once. Entries are written sorted by operation (Apply first), time, manager,
 * apiVersion and subresource; times are RFC 3339 in whole seconds, UTC.
 */
import { FieldSet, FieldsV1Error, type FieldsV1 } from './field-set.js';
import { compareGoStrings, goJsonString, goQuote, isObject } from './go-format.js';

/** The operations of managedFields entries. */
export type Operation = 'Apply' | 'Update';

/** One entry of `metadata.managedFields`, in upstream's JSON field order. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: Operation;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** What identifies a manager (an entry without its fields and time). */
export interface ManagerInfo {
  manager: string;
  operation: Operation;
  /** Part of the identity of Update entries only. */
  apiVersion?: string;
  subresource?: string;
}

/** The fields one manager owns. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  /** True for an Apply entry. */
  applied: boolean;
}

/** The ownership table: sets and times by manager identifier. */
export class Managed {
  readonly fields = new Map<string, VersionedSet>();
  /** When each manager last changed something; undefined when unknown. */
  readonly times = new Map<string, string | undefined>();

  /** A deep-enough copy (sets are never modified in place). */
  clone(): Managed {
    const m = new Managed();
    for (const [k, v] of this.fields) m.fields.set(k, { ...v });
    for (const [k, v] of this.times) m.times.set(k, v);
    return m;
  }
}

/** A managedFields list that cannot be read; `message` is upstream's. */
export class ManagedFieldsError extends Error {}

/**
 * The identifier of a manager: the JSON of its entry without fields and time (and without
 * apiVersion for Apply), as upstream builds it. Identifiers sort as upstream sorts them.
 */
export function managerIdentifier(info: ManagerInfo): string {
  let s = '{';
  if (info.manager) s += `"manager":${goJsonString(info.manager, true)},`;
  s += `"operation":${goJsonString(info.operation, true)}`;
  if (info.operation !== 'Apply' && info.apiVersion) s += `,"apiVersion":${goJsonString(info.apiVersion, true)}`;
  if (info.subresource) s += `,"subresource":${goJsonString(info.subresource, true)}`;
  return `${s}}`;
}

/** The parts of an identifier. */
export function parseIdentifier(id: string): ManagerInfo {
  let info = parsedIds.get(id);
  if (!info) {
    const o = JSON.parse(id) as Partial<ManagerInfo>;
    info = { manager: o.manager ?? '', operation: o.operation ?? 'Update', apiVersion: o.apiVersion, subresource: o.subresource };
    if (parsedIds.size >= CACHE_MAX) parsedIds.clear();
    parsedIds.set(id, info);
  }
  return { ...info };
}

/** Bound of the small caches below: identifiers and times recur from write to write. */
const CACHE_MAX = 1024;
const parsedIds = new Map<string, ManagerInfo>();

/** A manager as conflict messages name it: `"m"`, `"m" with subresource "status"`, `"m" using v1`. */
export function printManager(id: string): string {
  let info: ManagerInfo & { time?: string };
  try {
    info = JSON.parse(id) as ManagerInfo & { time?: string };
  } catch {
    return goQuote(id);
  }
  let s = goQuote(info.manager ?? '');
  if (info.subresource) s += ` with subresource ${goQuote(info.subresource)}`;
  if (info.operation === 'Update') {
    s += ` using ${info.apiVersion ?? ''}`;
    if (info.time) s += ` at ${normalizeTime(info.time)}`;
  }
  return s;
}

/**
 * True when a request's managedFields ask to stop tracking: an explicit empty list, or a list of
 * one empty entry.
 */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

/** Reads a managedFields list; throws ManagedFieldsError with upstream's message when it is invalid. */
export function decodeManagedFields(entries: unknown): Managed {
  const m = new Managed();
  if (entries === undefined || entries === null) return m;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (isObject(raw) ? raw : {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new ManagedFieldsError('apiVersion must not be empty');
    if (!e.fieldsType) throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${goQuote(String(e.fieldsType))} in managed fields entry ${i}`);
    const id = managerIdentifier({ manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, subresource: e.subresource });
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      if (err instanceof FieldsV1Error) throw new ManagedFieldsError(`error decoding versioned set: error decoding set: ${err.message}`);
      throw err;
    }
    m.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    m.times.set(id, e.time);
  });
  return m;
}

/** Seconds since the epoch of an entry time; 0 when there is none. */
export function timeSeconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** An instant as managedFields write it: `2024-05-01T10:20:30Z`. */
export function formatTime(d: Date): string {
  const ms = d.getTime();
  const second = Math.floor(ms / 1000);
  if (second === lastSecond && lastFormatted !== '') return lastFormatted;
  const s = d.toISOString().replace(/\.\d+Z$/, 'Z');
  lastSecond = second;
  lastFormatted = s;
  return s;
}

/** The last second formatTime wrote, and its text. */
let lastSecond = NaN;
let lastFormatted = '';

function normalizeTime(t: string): string {
  let n = normalizedTimes.get(t);
  if (n === undefined) {
    const ms = Date.parse(t);
    n = Number.isNaN(ms) ? t : formatTime(new Date(ms));
    if (normalizedTimes.size >= CACHE_MAX) normalizedTimes.clear();
    normalizedTimes.set(t, n);
  }
  return n;
}

const normalizedTimes = new Map<string, string>();

/** The managedFields list of a table, sorted as upstream sorts it; undefined when nobody owns anything. */
export function encodeManagedFields(m: Managed): ManagedFieldsEntry[] | undefined {
  if (m.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of m.fields) {
    const info = parseIdentifier(id);
    const e: ManagedFieldsEntry = {};
    if (info.manager) e.manager = info.manager;
    e.operation = vs.applied ? 'Apply' : info.operation;
    if (vs.apiVersion) e.apiVersion = vs.apiVersion;
    const t = m.times.get(id);
    if (t) e.time = normalizeTime(t);
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = vs.set.toFieldsV1();
    if (info.subresource) e.subresource = info.subresource;
    out.push(e);
  }
  return out.sort(compareEntries);
}

function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  if (p.operation !== q.operation) return compareGoStrings(p.operation ?? '', q.operation ?? '');
  const ps = timeSeconds(p.time);
  const qs = timeSeconds(q.time);
  if (ps !== qs) return ps < qs ? -1 : 1;
  return compareGoStrings(p.manager ?? '', q.manager ?? '')
    || compareGoStrings(p.apiVersion ?? '', q.apiVersion ?? '')
    || compareGoStrings(p.subresource ?? '', q.subresource ?? '');
}
