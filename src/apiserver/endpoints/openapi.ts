import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { encodeGnosticV2 } from '../../api/openapi/gnostic.js';
import { openApiV2Document, type OpenApiV2Resource } from '../../api/openapi/v2.js';
import { openApiV3Document, type OpenApiResource } from '../../api/openapi/v3.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { pathNotFound } from '../../machinery/status.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { RequestContext } from '../request/context.js';
import { parseAccept } from './negotiation.js';

/** The response type of the OpenAPI v2 protobuf document (the dotted form Go's MIME parser accepts). */
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The form kubectl asks for; answered with {@link V2_PROTOBUF}. */
const V2_PROTOBUF_AT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface Served {
  body: Buffer;
  hash: string;
}

/** One encoding of the v2 document, with its gzip form made on first demand. */
class V2Body {
  private gz?: Buffer;

  constructor(readonly body: Buffer) {}

  gzipped(): Buffer {
    this.gz ??= gzipSync(this.body);
    return this.gz;
  }
}

/** The v2 document, built on first request. */
interface V2Document {
  json: V2Body;
  proto: V2Body;
  /** Quoted, as the ETag header carries it: the SHA-512 of the JSON form, upper-case hex. */
  etag: string;
  /** When it was built, as an HTTP date, and in whole seconds. */
  lastModified: string;
  lastModifiedSeconds: number;
  /** Milliseconds spent building it. */
  buildMs: number;
}

/** The media types `/openapi/v2` answers in, in upstream's order of preference. */
const V2_FORMATS: Array<{ type: string; subtype: string; form: 'json' | 'proto'; contentType: string }> = [
  { type: 'application', subtype: 'json', form: 'json', contentType: 'application/json' },
  { type: 'application', subtype: V2_PROTOBUF_AT.slice('application/'.length), form: 'proto', contentType: V2_PROTOBUF },
  { type: 'application', subtype: V2_PROTOBUF.slice('application/'.length), form: 'proto', contentType: V2_PROTOBUF },
];

/**
 * Serves OpenAPI: `/openapi/v3` lists a document per group-version, each derived from the schema
 * registry and served at its hashed URL with `Cache-Control: public, immutable`. `/openapi/v2` is
 * the Swagger 2.0 document of every served resource, built on first request and kept: JSON by
 * default, gnostic protobuf when the Accept header asks for it (kubectl 1.27/1.28 read only that),
 * gzip-compressed when the client accepts gzip, with an ETag (the SHA-512 of the JSON form, as
 * upstream) and Last-Modified that answer 304 to a matching If-None-Match or If-Modified-Since.
 */
export class OpenApiHandler {
  private readonly docs = new Map<string, Served>();
  private readonly v2Resources: OpenApiV2Resource[];
  private v2?: V2Document;

  constructor(private readonly schemas: SchemaRegistry, defs: ResourceDefinition[], private readonly serverVersion: string) {
    this.v2Resources = defs.map((d) => ({
      group: d.group, version: d.version, kind: d.kind, plural: d.plural, namespaced: d.namespaced, verbs: d.verbs,
      subresources: d.subresources, returnDeletedObject: d.returnDeletedObject,
    }));
    const byGv = new Map<string, OpenApiResource[]>();
    for (const d of defs) {
      const key = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
      byGv.set(key, [...(byGv.get(key) ?? []), { group: d.group, version: d.version, kind: d.kind, plural: d.plural, namespaced: d.namespaced, verbs: d.verbs }]);
    }
    for (const [key, resources] of byGv) {
      const { group, version } = resources[0];
      const body = Buffer.from(JSON.stringify(openApiV3Document(schemas, group, version, resources, serverVersion)));
      this.docs.set(key, { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() });
    }
  }

  /** Answers `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<gv>`. */
  serve(ctx: RequestContext): void {
    const p = ctx.url.pathname.replace(/\/+$/, '');
    if (p === '/openapi/v2') return this.serveV2(ctx);
    if (p === '/openapi/v3') {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const [key, doc] of this.docs) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
      return send(ctx, 200, 'application/json', Buffer.from(JSON.stringify({ paths })), 'no-cache, private');
    }
    const doc = p.startsWith('/openapi/v3/') ? this.docs.get(p.slice('/openapi/v3/'.length)) : undefined;
    if (!doc) throw pathNotFound();
    const hashed = ctx.url.searchParams.get('hash') === doc.hash;
    send(ctx, 200, 'application/json', doc.body, hashed ? 'public, immutable' : 'no-cache, private', `"${doc.hash}"`);
  }

  /** The v2 document, built (JSON, protobuf, ETag) on first use and then kept; public so its build time can be measured. */
  v2Document(): V2Document {
    if (!this.v2) {
      const started = performance.now();
      const doc = openApiV2Document(this.schemas, this.v2Resources, this.serverVersion);
      const json = Buffer.from(JSON.stringify(doc));
      const proto = Buffer.from(encodeGnosticV2(doc));
      const now = Date.now();
      this.v2 = {
        json: new V2Body(json),
        proto: new V2Body(proto),
        etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`,
        lastModified: new Date(now).toUTCString(),
        lastModifiedSeconds: Math.floor(now / 1000),
        buildMs: performance.now() - started,
      };
    }
    return this.v2;
  }

  private serveV2(ctx: RequestContext): void {
    const format = chooseV2Format(ctx.req.headers.accept);
    const { res, req } = ctx;
    if (!format) {
      res.writeHead(406, { Vary: 'Accept', 'Content-Length': 0, 'Cache-Control': 'no-cache, private' });
      res.end();
      return;
    }
    const doc = this.v2Document();
    const headers: Record<string, string | number> = {
      'Cache-Control': 'no-cache, private',
      ETag: doc.etag,
      Vary: 'Accept, Accept-Encoding',
    };
    if (notModified(req.headers, doc)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = format.form === 'json' ? doc.json : doc.proto;
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const bytes = gzip ? body.gzipped() : body.body;
    headers['Content-Type'] = format.contentType;
    headers['Last-Modified'] = doc.lastModified;
    headers['Content-Length'] = bytes.length;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }
}

/**
 * The format of the first Accept clause `/openapi/v2` can answer, clauses taken by quality and then
 * specificity as upstream's negotiation does; an absent header means any. Undefined: nothing fits.
 */
function chooseV2Format(accept: string | undefined): (typeof V2_FORMATS)[number] | undefined {
  const clauses = parseAccept(accept || '*/*')
    .map((r, i) => {
      const [type, subtype = ''] = r.type.split('/');
      const q = r.params.q === undefined ? 1 : Number(r.params.q);
      return { type, subtype, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.i - b.i);
  for (const c of clauses) {
    const f = V2_FORMATS.find((x) => (c.type === x.type || c.type === '*') && (c.subtype === x.subtype || c.subtype === '*'));
    if (f) return f;
  }
  return undefined;
}

function specificity(c: { type: string; subtype: string }): number {
  return (c.type === '*' ? 0 : 2) + (c.subtype === '*' ? 0 : 1);
}

/** Whether the request's validators match (If-None-Match, else If-Modified-Since), as Go's ServeContent decides. */
function notModified(headers: IncomingHttpHeaders, doc: V2Document): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    return inm.split(',').some((t) => t.trim() === '*' || strip(t) === doc.etag);
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined) {
    const t = Date.parse(ims);
    return Number.isFinite(t) && doc.lastModifiedSeconds <= Math.floor(t / 1000);
  }
  return false;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function send(ctx: RequestContext, code: number, type: string, body: Buffer, cache: string, etag?: string): void {
  const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': cache };
  if (etag) headers.ETag = etag;
  ctx.res.writeHead(code, headers);
  ctx.res.end(body);
}
