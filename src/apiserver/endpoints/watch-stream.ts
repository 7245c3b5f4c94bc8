import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError } from '../../machinery/status.js';
import type { CacheEvent, SinkEvent, WatchEventType, WatchSink } from '../../storage/watch-cache/types.js';
import { apiVersionOf, type ApiObject, type ResourceDefinition } from '../registry/resource.js';
import type { OutputForm } from './negotiation.js';
import { columnDefinitions, tableRow, type IncludeObject } from './table.js';
import { objectJson } from './encoding.js';
import { partialObjectMetadata } from './output.js';

/** The forms a watch streams in. */
export type WatchForm = Exclude<OutputForm, { kind: 'protobuf' }>;

const CRLF = Buffer.from('\r\n');

/** Encodings of whole batches, made once and shared by every watcher that sees the batch unchanged. */
const batchEncodings = new WeakMap<readonly CacheEvent[], Map<string, Buffer>>();

/** `data` as one HTTP/1.1 chunk: hex length, CRLF, data, CRLF. */
function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]);
}

/**
 * Streams watch events to one HTTP response as upstream does: one JSON object per line,
 * `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":…}`, with chunked transfer encoding.
 *
 * Serialize once: the line of an event is made once per form and kept with the event, and the
 * framed chunk of a whole batch is made once and written to every watcher that sees that batch
 * unchanged. Chunks go straight to the connection — one write per batch per watcher — instead of
 * through the response's per-write framing; the response itself only sends the headers and, at the
 * end, the closing chunk. Table watchers get column definitions with their first event only.
 */
export class HttpWatchSink implements WatchSink {
  private sentTableHeader = false;
  private ended = false;
  private socket: Socket | null = null;

  /**
   * `convert`, when given, turns stored objects into the served version's form (a resource served
   * in more than one version); events are then encoded per watcher.
   */
  constructor(private readonly res: ServerResponse, private readonly def: ResourceDefinition,
    private readonly form: WatchForm, private readonly include: IncludeObject, private readonly convert?: (obj: ApiObject) => ApiObject) {}

  /** Sends the 200 headers of the stream. */
  start(): void {
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    this.res.flushHeaders();
    this.socket = this.res.socket;
  }

  send(events: SinkEvent[], shared: readonly CacheEvent[] | null): void {
    if (this.ended || events.length === 0) return;
    const key = this.formKey();
    const cacheable = shared !== null && !this.convert && (this.form.kind !== 'table' || this.sentTableHeader);
    let memo = cacheable ? batchEncodings.get(shared!) : undefined;
    let framed = memo?.get(key);
    if (!framed) {
      framed = chunk(Buffer.concat(events.map((e) => this.line(e.type, e.ev))));
      if (cacheable) {
        if (!memo) { memo = new Map(); batchEncodings.set(shared!, memo); }
        memo.set(key, framed);
      }
    }
    this.writeChunk(framed);
  }

  bookmark(revision: number, initialEventsEnd: boolean): void {
    if (this.ended) return;
    const def = this.def;
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = { kind: def.kind, apiVersion: apiVersionOf(def), metadata };
    this.writeChunk(chunk(Buffer.from(JSON.stringify({ type: 'BOOKMARK', object }) + '\n')));
  }

  /** Sends an ERROR event carrying a Status, then ends the stream. */
  error(err: ApiError): void {
    if (this.ended) return;
    this.writeChunk(chunk(Buffer.from(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n')));
    this.close();
  }

  backlogBytes(): number {
    return this.socket?.writableLength ?? 0;
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.res.end();
  }

  private writeChunk(b: Buffer): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(b);
  }

  private formKey(): string {
    if (this.form.kind === 'json') return 'json';
    if (this.form.kind === 'partial') return `partial:${this.form.apiVersion}`;
    return `table:${this.form.apiVersion}:${this.include}`;
  }

  /** The line of one event in this watcher's form; kept with the event unless it is a first Table event. */
  private line(type: WatchEventType, ev: CacheEvent): Buffer {
    const key = `${this.formKey()}:${type}`;
    const first = this.form.kind === 'table' && !this.sentTableHeader;
    const keep = !first && !this.convert;
    let line = keep ? ev.encoded.get(key) : undefined;
    if (line) return line;
    const object = this.convert ? this.convert(ev.object.object) : ev.object.object;
    if (this.form.kind === 'json') {
      const json = this.convert ? Buffer.from(JSON.stringify(object)) : objectJson(ev.object);
      line = Buffer.concat([Buffer.from(`{"type":"${type}","object":`), json, Buffer.from('}\n')]);
    } else if (this.form.kind === 'partial') {
      line = Buffer.from(JSON.stringify({ type, object: partialObjectMetadata(this.form.apiVersion, object) }) + '\n');
    } else {
      this.sentTableHeader = true;
      const table = {
        kind: 'Table', apiVersion: this.form.apiVersion,
        metadata: { resourceVersion: object.metadata.resourceVersion },
        columnDefinitions: first ? columnDefinitions(this.def) : null,
        rows: [tableRow(this.def, object, this.include, Date.now())],
      };
      line = Buffer.from(JSON.stringify({ type, object: table }) + '\n');
    }
    if (keep) ev.encoded.set(key, line);
    return line;
  }
}
