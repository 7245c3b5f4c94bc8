import type { ClientConfig } from './config.js';
import * as kinds from './kinds.js';
import type { ResourceType } from './kinds.js';
import type { KubeObject } from './object.js';
import { ResourceClient } from './resource-client.js';
import { RestClient } from './rest-client.js';

/**
 * A client of one API server with one identity: a {@link ResourceClient} per built-in resource
 * (`client.pods`, `client.deployments`, …) and {@link KubeClient.resource} for any other.
 * All of them share one connection pool and one rate limit.
 */
export class KubeClient {
  readonly rest: RestClient;
  readonly pods: ResourceClient;
  readonly nodes: ResourceClient;
  readonly namespaces: ResourceClient;
  readonly services: ResourceClient;
  readonly endpoints: ResourceClient;
  readonly configMaps: ResourceClient;
  readonly secrets: ResourceClient;
  readonly serviceAccounts: ResourceClient;
  readonly events: ResourceClient;
  readonly resourceQuotas: ResourceClient;
  readonly leases: ResourceClient;
  readonly deployments: ResourceClient;
  readonly replicaSets: ResourceClient;
  readonly statefulSets: ResourceClient;
  readonly daemonSets: ResourceClient;
  readonly controllerRevisions: ResourceClient;
  readonly jobs: ResourceClient;
  readonly cronJobs: ResourceClient;
  readonly endpointSlices: ResourceClient;
  readonly podDisruptionBudgets: ResourceClient;
  readonly replicationControllers: ResourceClient;
  readonly persistentVolumeClaims: ResourceClient;
  private readonly clients = new Map<string, ResourceClient<any>>();

  constructor(readonly config: ClientConfig) {
    this.rest = new RestClient(config);
    this.pods = this.resource(kinds.PODS);
    this.nodes = this.resource(kinds.NODES);
    this.namespaces = this.resource(kinds.NAMESPACES);
    this.services = this.resource(kinds.SERVICES);
    this.endpoints = this.resource(kinds.ENDPOINTS);
    this.configMaps = this.resource(kinds.CONFIGMAPS);
    this.secrets = this.resource(kinds.SECRETS);
    this.serviceAccounts = this.resource(kinds.SERVICEACCOUNTS);
    this.events = this.resource(kinds.EVENTS);
    this.resourceQuotas = this.resource(kinds.RESOURCEQUOTAS);
    this.leases = this.resource(kinds.LEASES);
    this.deployments = this.resource(kinds.DEPLOYMENTS);
    this.replicaSets = this.resource(kinds.REPLICASETS);
    this.statefulSets = this.resource(kinds.STATEFULSETS);
    this.daemonSets = this.resource(kinds.DAEMONSETS);
    this.controllerRevisions = this.resource(kinds.CONTROLLERREVISIONS);
    this.jobs = this.resource(kinds.JOBS);
    this.cronJobs = this.resource(kinds.CRONJOBS);
    this.endpointSlices = this.resource(kinds.ENDPOINTSLICES);
    this.podDisruptionBudgets = this.resource(kinds.PODDISRUPTIONBUDGETS);
    this.replicationControllers = this.resource(kinds.REPLICATIONCONTROLLERS);
    this.persistentVolumeClaims = this.resource(kinds.PERSISTENTVOLUMECLAIMS);
  }

  /** The User-Agent this client sends. */
  get userAgent(): string {
    return this.rest.userAgent;
  }

  /** The client of `type` (one per type, shared). */
  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const key = `${type.group}/${type.version}/${type.plural}`;
    let c = this.clients.get(key);
    if (!c) this.clients.set(key, (c = new ResourceClient<T>(this.rest, type)));
    return c as ResourceClient<T>;
  }

  /** Closes the connection pool. */
  close(): void {
    this.rest.close();
  }
}
