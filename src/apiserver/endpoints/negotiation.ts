import { ApiError } from '../../machinery/status.js';

/** How an answer is rendered, as chosen from the Accept header. */
export type OutputForm =
  | { kind: 'json' }
  | { kind: 'protobuf' }
  | { kind: 'table'; apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1' }
  | { kind: 'partial'; apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1' };

/** What an endpoint can produce besides plain JSON. */
export interface OutputAbilities {
  /** Table and PartialObjectMetadata forms (resource reads and watches). */
  transforms?: boolean;
  /** Kubernetes protobuf (objects whose type the schema registry describes). */
  protobuf?: boolean;
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** One entry of an Accept header. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** Parses an Accept header into its media ranges, in order. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((x) => x.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    return { type: type.toLowerCase(), params };
  }).filter((m) => m.type !== '');
}

const JSONISH = new Set(['application/json', 'application/*', '*/*']);

/**
 * Chooses the output form for an object, list or watch answer: the first Accept entry the server
 * can produce. `as=Table` gives a Table, `as=PartialObjectMetadata` (or `…List` for lists) only the
 * metadata, both in meta.k8s.io v1 or v1beta1; `application/vnd.kubernetes.protobuf` gives
 * protobuf when the endpoint can; JSON otherwise. Nothing acceptable answers 406.
 */
export function negotiateOutput(accept: string | undefined, can: OutputAbilities = { transforms: true }): OutputForm {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const r of ranges) {
    if (r.params.as) {
      if (!can.transforms || r.type !== 'application/json' || r.params.g !== 'meta.k8s.io' || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue;
      const apiVersion = `meta.k8s.io/${r.params.v}` as 'meta.k8s.io/v1';
      if (r.params.as === 'Table') return { kind: 'table', apiVersion };
      if (r.params.as === 'PartialObjectMetadata' || r.params.as === 'PartialObjectMetadataList') return { kind: 'partial', apiVersion };
      continue;
    }
    if (r.type === PROTOBUF && can.protobuf) return { kind: 'protobuf' };
    if (JSONISH.has(r.type)) return { kind: 'json' };
  }
  throw new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml, ${PROTOBUF}`);
}
