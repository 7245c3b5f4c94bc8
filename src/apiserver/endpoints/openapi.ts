import { createHash } from 'node:crypto';
import { openApiV3Document, type OpenApiResource } from '../../api/openapi/v3.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { pathNotFound } from '../../machinery/status.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { RequestContext } from '../request/context.js';
import { parseAccept } from './negotiation.js';

/** The response type of the OpenAPI v2 protobuf document (the dotted form Go's MIME parser accepts). */
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Served {
  body: Buffer;
  hash: string;
}

/**
 * Serves OpenAPI: `/openapi/v3` lists a document per group-version, each derived from the schema
 * registry and served at its hashed URL with `Cache-Control: public, immutable`. `/openapi/v2` is,
 * for now, a valid empty document (empty protobuf, or an empty swagger JSON when JSON is asked
 * for): kubectl 1.27/1.28 need it to exist before they validate on the server.
 */
export class OpenApiHandler {
  private readonly docs = new Map<string, Served>();

  constructor(schemas: SchemaRegistry, defs: ResourceDefinition[], private readonly serverVersion: string) {
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

  private serveV2(ctx: RequestContext): void {
    const wantsJson = parseAccept(ctx.req.headers.accept).some((r) => r.type === 'application/json');
    const wantsProto = parseAccept(ctx.req.headers.accept).some((r) => r.type.startsWith('application/com.github.proto-openapi.spec.v2'));
    if (wantsJson && !wantsProto) {
      const empty = { swagger: '2.0', info: { title: 'Kubernetes', version: this.serverVersion }, paths: {}, definitions: {} };
      return send(ctx, 200, 'application/json', Buffer.from(JSON.stringify(empty)), 'no-cache, private');
    }
    // An empty protobuf message is a valid, empty openapi_v2.Document.
    send(ctx, 200, V2_PROTOBUF, Buffer.alloc(0), 'no-cache, private');
  }
}

function send(ctx: RequestContext, code: number, type: string, body: Buffer, cache: string, etag?: string): void {
  const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': cache };
  if (etag) headers.ETag = etag;
  ctx.res.writeHead(code, headers);
  ctx.res.end(body);
}
