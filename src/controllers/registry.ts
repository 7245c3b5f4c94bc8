import type { ControllerDescriptor } from './context.js';
import { descriptor as cronjob } from './cronjob/index.js';
import { descriptor as deployment } from './deployment/index.js';
import { descriptor as disruption } from './disruption/index.js';
import { descriptor as endpoints } from './endpoints/index.js';
import { descriptor as endpointslice } from './endpointslice/index.js';
import { descriptor as garbagecollector } from './garbagecollector/index.js';
import { descriptor as job, ttlAfterFinishedDescriptor as ttlAfterFinished } from './job/index.js';
import { descriptor as namespace } from './namespace/index.js';
import { descriptor as nodelifecycle } from './nodelifecycle/index.js';
import { descriptor as replicaset } from './replicaset/index.js';
import { descriptor as resourcequota } from './resourcequota/index.js';
import { descriptor as rootcacert } from './rootcacert/index.js';
import { descriptor as serviceaccount } from './serviceaccount/index.js';

/** Every controller of the controller manager, in start order. */
export const CONTROLLERS: readonly ControllerDescriptor[] = [
  serviceaccount, rootcacert, namespace, garbagecollector, nodelifecycle,
  replicaset, deployment, job, cronjob, ttlAfterFinished, endpoints, endpointslice, resourcequota, disruption,
];
