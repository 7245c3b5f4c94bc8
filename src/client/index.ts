/**
 * The tskube client library: a REST client with rate limits and retries, typed resource
 * clients, watch → reflector → store → shared informers, a work queue, an event recorder and
 * leader election. Everything in tskube that talks to the API server goes through it.
 */
export { configFromKubeconfig, type ClientConfig } from './config.js';
export { StatusError, isNotFound, isConflict, isAlreadyExists, isGone, isInvalid, isForbidden, type Status } from './errors.js';
export * from './kinds.js';
export type { KubeObject, ObjectMeta, OwnerReference, ObjectList, WatchEvent } from './object.js';
export { RestClient, withQuery, type RestRequest, type Query } from './rest-client.js';
export { ResourceClient, type ListOptions, type WatchOptions, type WriteOptions, type PatchOptions, type DeleteOptions } from './resource-client.js';
export { KubeClient } from './kube-client.js';
export { Store, objectKey, splitKey, type IndexFunc } from './cache/store.js';
export { Reflector, type ReflectorState, type ReflectorSink, type ReflectorOptions } from './cache/reflector.js';
export { SharedInformer, type EventHandler, type InformerOptions } from './cache/informer.js';
export { InformerFactory, type InformerSelection } from './cache/informer-factory.js';
export { WorkQueue, runWorkers, type WorkQueueOptions } from './workqueue.js';
export { EventRecorder, type EventSource } from './events.js';
export { LeaderElector, type LeaderElectionOptions, type LeaderCallbacks } from './leader-election.js';
