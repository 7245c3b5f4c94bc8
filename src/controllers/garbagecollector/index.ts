/**
 * The `garbagecollector` controller of the controller manager: deletes objects whose owners are
 * gone, and carries out foreground and orphan deletion (upstream's garbage collector).
 */
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { GarbageCollector, WORKERS } from './controller.js';

export { GarbageCollector, identityOf, type GarbageCollectorDeps } from './controller.js';
export { GraphBuilder, type GraphEvent } from './graph-builder.js';
export { DependencyGraph, GraphNode, type ObjectIdentity } from './graph.js';
export { monitoredTypes, RestMapper, RestMappingError } from './rest-mapper.js';

/** Registers an informer per watched resource at start, then collects until `ctx.signal` aborts. */
export const descriptor: ControllerDescriptor = {
  name: 'garbagecollector',
  start(ctx: ControllerContext): Promise<void> {
    const gc = new GarbageCollector({ client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('garbage-collector-controller') });
    return gc.run(ctx.signal, WORKERS);
  },
};
