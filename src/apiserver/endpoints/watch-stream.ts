import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../machinery/status.js';
import type { CacheEvent, WatchEventType, WatchSink } from '../../storage/watch-cache/types.js';
import type { GenericRegistry } from '../registry/generic-registry.js';
import { apiVersionOf } from '../registry/resource.js';
import type { OutputForm } from './negotiation.js';
import { columnDefinitions, tableRow, type IncludeObject } from './table.js';
import { objectJson } from './encoding.js';

const NEWLINE = Buffer.from('\n');

/**
 * Streams watch events to one HTTP response as upstream does: one JSON object per line,
 * `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":…}`. The JSON form of an event is
 * made once and shared by every watcher that wants that form; Table watchers get column
 * definitions with their first event only.
 */
export class HttpWatchSink implements WatchSink {
  private sentTableHeader = false;
  private ended = false;

  constructor(private readonly res: ServerResponse, private readonly registry: GenericRegistry,
    private readonly form: OutputForm, private readonly include: IncludeObject) {}

  /** Sends the 200 headers of the stream. */
  start(): void {
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    this.res.flushHeaders();
  }

  event(type: WatchEventType, ev: CacheEvent): void {
    if (this.ended) return;
    if (this.form.kind === 'json') {
      const key = `json:${type}`;
      let line = ev.encoded.get(key);
      if (!line) {
        line = Buffer.concat([Buffer.from(`{"type":"${type}","object":`), objectJson(ev.object), Buffer.from('}\n')]);
        ev.encoded.set(key, line);
      }
      this.res.write(line);
      return;
    }
    const first = !this.sentTableHeader;
    this.sentTableHeader = true;
    const key = `table:${this.form.apiVersion}:${this.include}:${type}`;
    let line = first ? undefined : ev.encoded.get(key);
    if (!line) {
      const def = this.registry.def;
      const table = {
        kind: 'Table', apiVersion: this.form.apiVersion,
        metadata: { resourceVersion: ev.object.object.metadata.resourceVersion },
        columnDefinitions: first ? columnDefinitions(def) : null,
        rows: [tableRow(def, ev.object.object, this.include, Date.now())],
      };
      line = Buffer.concat([Buffer.from(JSON.stringify({ type, object: table })), NEWLINE]);
      if (!first) ev.encoded.set(key, line);
    }
    this.res.write(line);
  }

  bookmark(revision: number, initialEventsEnd: boolean): void {
    if (this.ended) return;
    const def = this.registry.def;
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = { kind: def.kind, apiVersion: apiVersionOf(def), metadata };
    this.res.write(JSON.stringify({ type: 'BOOKMARK', object }) + '\n');
  }

  /** Sends an ERROR event carrying a Status, then ends the stream. */
  error(err: ApiError): void {
    if (this.ended) return;
    this.res.write(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n');
    this.close();
  }

  backlogBytes(): number {
    return this.res.writableLength;
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.res.end();
  }
}
