/** The options of write requests: dry runs, field managers and DeleteOptions. */
import { ApiError, badRequest } from '../../machinery/status.js';
import { isGoTrue, parseBoolParam } from '../../machinery/selectors.js';
import { managerOrUserAgent, validateWriteOptions } from '../../api/apply/index.js';
import type { DeleteOptions, WriteOptions } from '../registry/generic-registry.js';
import type { RequestContext } from './context.js';
import { mediaType, readBody } from './body.js';
import type { ObjectBodyDecoder } from './object-body.js';

/** The media type of server-side apply. */
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The kind a delete's body holds. */
const DELETE_OPTIONS = { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' };

/**
 * The write options of a request: `dryRun`, and the field manager — the `fieldManager` parameter,
 * or else the printable part of the User-Agent before its first `/`, as upstream derives it. An
 * invalid manager name answers upstream's 422.
 */
export function writeOptions(ctx: RequestContext): WriteOptions {
  const q = ctx.url.searchParams;
  const dryRun = parseDryRun(q);
  const given = q.get('fieldManager') ?? '';
  const verb = ctx.info.verb;
  const kind = verb === 'create' ? 'CreateOptions' : verb === 'update' ? 'UpdateOptions' : 'PatchOptions';
  const bad = validateWriteOptions(kind, { fieldManager: given, force: kind === 'PatchOptions' && q.has('force') ? parseBoolParam(q, 'force') : undefined,
    isApply: mediaType(ctx.req.headers['content-type']) === APPLY_PATCH });
  if (bad) throw bad;
  return { dryRun, fieldManager: managerOrUserAgent(given, ctx.req.headers['user-agent']) };
}

/** Reads `dryRun` (only `All` is a value; 400 otherwise). */
export function parseDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

/**
 * The DeleteOptions of a delete: from the query (`gracePeriodSeconds`, `propagationPolicy`,
 * `orphanDependents`, `dryRun`) and the body (JSON, YAML or protobuf), checked as upstream checks them.
 */
export async function readDeleteOptions(ctx: RequestContext, bodies: ObjectBodyDecoder): Promise<DeleteOptions> {
  const q = ctx.url.searchParams;
  const body = await readBody(ctx.req);
  const opts: DeleteOptions = { dryRun: parseDryRun(q) };
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') opts.gracePeriodSeconds = parseInteger('gracePeriodSeconds', grace);
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy;
  if (isGoTrue(q.get('orphanDependents'))) opts.propagationPolicy ??= 'Orphan';
  if (body.length > 0) {
    const o = bodies.decode(body, ctx.req.headers['content-type'], DELETE_OPTIONS) as Record<string, any>;
    if (o && typeof o === 'object') {
      if (Array.isArray(o.dryRun)) {
        for (const v of o.dryRun) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
        if (o.dryRun.length > 0) opts.dryRun = true;
      }
      if (o.preconditions) opts.preconditions = o.preconditions;
      if (typeof o.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = o.gracePeriodSeconds;
      if (typeof o.propagationPolicy === 'string') opts.propagationPolicy = o.propagationPolicy;
      if (o.orphanDependents === true && !o.propagationPolicy) opts.propagationPolicy = 'Orphan';
      if (o.orphanDependents !== undefined && o.orphanDependents !== null && o.propagationPolicy) {
        throw invalidDeleteOptions('propagationPolicy', o.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set');
      }
    }
  }
  const p = opts.propagationPolicy;
  if (p !== undefined && p !== 'Orphan' && p !== 'Background' && p !== 'Foreground') {
    throw invalidDeleteOptions('propagationPolicy', p, 'propagationPolicy must be one of Orphan, Background, Foreground');
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  return opts;
}

/** 422 for DeleteOptions that contradict themselves, as upstream words it. */
function invalidDeleteOptions(field: string, value: string, why: string): ApiError {
  return new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${why}`, {
    kind: 'DeleteOptions', group: 'meta.k8s.io', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field }],
  });
}

function parseInteger(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  return n;
}
