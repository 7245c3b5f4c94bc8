import { ApiError } from '../../machinery/status.js';

/** How an answer is rendered, as chosen from the Accept header. */
export type OutputForm =
  | { kind: 'json' }
  | { kind: 'table'; apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1' };

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
 * Chooses the output form for an object or list answer: the first Accept entry the server can
 * produce. `as=Table` (meta.k8s.io v1 or v1beta1) gives a Table; plain JSON otherwise. Nothing
 * acceptable answers 406.
 */
export function negotiateOutput(accept: string | undefined, allowTable = true): OutputForm {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const r of ranges) {
    if (r.params.as) {
      if (allowTable && r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1') && r.type === 'application/json') {
        return { kind: 'table', apiVersion: `meta.k8s.io/${r.params.v}` as 'meta.k8s.io/v1' };
      }
      continue;
    }
    if (JSONISH.has(r.type)) return { kind: 'json' };
  }
  throw new ApiError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io');
}
