/**
 * Node health as the node lifecycle controller judges it: when it last heard from a node (a new
 * Ready heartbeat in the node's status, or a renewed Lease, both by the controller's own clock),
 * and what the node's conditions become once it has been silent past its grace period.
 */
import type { KubeObject } from '../../client/object.js';
import { formatTime } from '../util/time.js';
import { MONITORED_CONDITIONS, NODE_STATUS_NEVER_UPDATED, NODE_STATUS_UNKNOWN } from './constants.js';

/** A node condition as JSON. */
export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

/** What the controller remembers of a node between passes. */
export interface NodeHealth {
  /** When (controller clock) the node last showed a sign of life. */
  probeTimestamp: number;
  /** When (controller clock) the node's Ready condition last changed. */
  readyTransitionTimestamp: number;
  /** The node's status as last seen. */
  status: any;
  /** The renewTime of the node's lease as last seen. */
  leaseRenewTime?: string;
}

/** The outcome of one health check of one node. */
export interface HealthCheck {
  health: NodeHealth;
  /** The Ready condition before this check (a made-up Unknown one for a node that never posted). */
  observedReady: NodeCondition;
  /** The Ready condition after this check. */
  currentReady?: NodeCondition;
  /** The node with its conditions set to Unknown, when that must be written; else undefined. */
  toWrite?: KubeObject;
  /** What to remember once `toWrite` was written (`health` stays right when the write fails). */
  afterWrite?: NodeHealth;
}

/** The node's condition of `type`. */
export const nodeCondition = (status: any, type: string): NodeCondition | undefined =>
  (Array.isArray(status?.conditions) ? status.conditions : []).find((c: NodeCondition) => c?.type === type);

const parse = (t: string | null | undefined): number => (t ? Date.parse(t) : 0);

/**
 * Updates what is known of the node's health from its current status and lease (upstream's
 * tryUpdateNodeHealth). When the node was silent for longer than its grace period (startup grace
 * for a node that never posted Ready), its Ready, MemoryPressure, DiskPressure and PIDPressure
 * conditions become Unknown (reason NodeStatusUnknown, or NodeStatusNeverUpdated for missing
 * ones); the changed node is answered in `toWrite` when its Ready condition changed.
 */
export function checkNodeHealth(
  node: KubeObject, saved: NodeHealth | undefined, lease: KubeObject | undefined, now: number,
  gracePeriodMs: number, startupGracePeriodMs: number,
): HealthCheck {
  const created = parse(node.metadata.creationTimestamp);
  const currentReady = nodeCondition(node.status, 'Ready');
  const observedReady: NodeCondition = currentReady
    ? { ...currentReady }
    : { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: node.metadata.creationTimestamp };
  const grace = currentReady ? gracePeriodMs : startupGracePeriodMs;
  let health = saved ? { ...saved } : undefined;
  const savedReady = health ? nodeCondition(health.status, 'Ready') : undefined;
  if (!currentReady && !health) {
    health = { status: node.status, probeTimestamp: created, readyTransitionTimestamp: created };
  } else if (!currentReady) {
    health!.status = node.status;
  } else if (!health || !savedReady) {
    health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now, leaseRenewTime: health?.leaseRenewTime };
  } else if (savedReady.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
    const transition = savedReady.lastTransitionTime !== currentReady.lastTransitionTime ? now : health.readyTransitionTimestamp;
    health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: transition, leaseRenewTime: health.leaseRenewTime };
  }
  const renew: string | undefined = lease?.spec?.renewTime ?? undefined;
  if (renew && (!health!.leaseRenewTime || parse(health!.leaseRenewTime) < parse(renew))) {
    health!.leaseRenewTime = renew;
    health!.probeTimestamp = now;
  }
  if (now <= health!.probeTimestamp + grace) return { health: health!, observedReady, currentReady };

  const updated: KubeObject = structuredClone(node);
  updated.status ??= {};
  updated.status.conditions ??= [];
  for (const type of MONITORED_CONDITIONS) {
    const c = nodeCondition(updated.status, type);
    if (!c) {
      updated.status.conditions.push({
        type, status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp ?? null, lastTransitionTime: formatTime(now),
        reason: NODE_STATUS_NEVER_UPDATED.reason, message: NODE_STATUS_NEVER_UPDATED.message,
      });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: NODE_STATUS_UNKNOWN.reason, message: NODE_STATUS_UNKNOWN.message, lastTransitionTime: formatTime(now) });
    }
  }
  const nowReady = nodeCondition(updated.status, 'Ready');
  if (JSON.stringify(nowReady) === JSON.stringify(observedReady)) return { health: health!, observedReady, currentReady };
  return {
    health: health!, observedReady, currentReady: nowReady, toWrite: updated,
    afterWrite: { status: updated.status, probeTimestamp: health!.probeTimestamp, readyTransitionTimestamp: now, leaseRenewTime: health!.leaseRenewTime },
  };
}
