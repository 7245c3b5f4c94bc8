import { isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './object.js';

/** Who writes the events: `source.component` (and `reportingComponent`), and the host. */
export interface EventSource {
  component: string;
  host?: string;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  /** Settles once the event exists (or its create failed); repeats wait for it. */
  created: Promise<boolean>;
}

/** How many distinct events a recorder remembers for counting repeats. */
const MEMORY = 4096;
/** Most event writes in flight; beyond that they wait in order. */
const IN_FLIGHT = 8;

/**
 * Writes core/v1 Events about objects, as upstream's recorder does: the first occurrence of
 * (object, type, reason, message) is created as `<object>.<unique hex>` with count 1; repeats
 * patch that event's count and lastTimestamp. Event names are `<object>.<unix ns in hex>` as upstream's. Writing is fire-and-forget and never throws; a
 * write that fails is reported as a warning.
 */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private inFlight = 0;
  private readonly waiting: (() => Promise<void>)[] = [];

  constructor(private readonly client: KubeClient, readonly source: EventSource) {}

  /**
   * Records an event about `obj` (its kind must be set); `fieldPath` names a part of it, as
   * `spec.containers{web}`.
   */
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.enqueue(() => this.write(obj, type, reason, message, fieldPath));
  }

  /** Resolves once every event recorded so far was written (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private lastNs = 0n;

  /** Upstream names events `<object>.<unix nanoseconds in hex>`; a clash within one recorder takes the next nanosecond. */
  private uniqueSuffix(): string {
    let ns = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (ns <= this.lastNs) ns = this.lastNs + 1n;
    this.lastNs = ns;
    return ns.toString(16);
  }

  private enqueue(job: () => Promise<void>): void {
    if (this.inFlight >= IN_FLIGHT) {
      this.waiting.push(job);
      return;
    }
    this.inFlight++;
    job().catch((err) => process.emitWarning(`event not written: ${(err as Error)?.message ?? err}`, 'EventWarning')).finally(() => {
      this.inFlight--;
      const next = this.waiting.shift();
      if (next) this.enqueue(next);
    });
  }

  private async write(obj: KubeObject, type: string, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const key = `${obj.kind}|${namespace}|${m.name}|${m.uid}|${fieldPath ?? ''}|${type}|${reason}|${message}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = this.seen.get(key);
    if (prior && (await prior.created)) {
      prior.count++;
      try {
        await this.client.events.patch(prior.name, { count: prior.count, lastTimestamp: now }, { namespace: prior.namespace });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const name = `${m.name}.${this.uniqueSuffix()}`;
    const event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid,
        apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion, ...(fieldPath ? { fieldPath } : {}),
      },
      reason, message, type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: now, lastTimestamp: now, count: 1,
      reportingComponent: this.source.component, reportingInstance: this.source.host ?? '',
    };
    // Registered before the create, so that a repeat recorded meanwhile counts on this event.
    const created = this.client.events.create(event, { namespace }).then(() => true, (err) => {
      if (this.seen.get(key)?.name === name) this.seen.delete(key);
      throw err;
    });
    if (this.seen.size >= MEMORY) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { name, namespace, count: 1, created: created.catch(() => false) });
    await created;
  }
}
