/**
 * Names, texts and defaults of upstream v1.32's node lifecycle and taint eviction controllers.
 */
import type { ControllerOptions } from '../context.js';

/** Taint keys the node lifecycle controller manages. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** Which condition status maps to which NoSchedule taint (TaintNodesByCondition). */
export const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};

/** Every taint key that stands for a node condition. */
export const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

/** The conditions set to Unknown when the kubelet stops posting (NetworkUnavailable is left alone). */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Reasons and messages the controller writes into node conditions. */
export const NODE_STATUS_UNKNOWN = { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
export const NODE_STATUS_NEVER_UPDATED = { reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' };

/** The label that keeps a node out of zone disruption checks. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

/** Event sources. */
export const NODE_CONTROLLER = 'node-controller';
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';

/** The pod condition the taint eviction controller adds before deleting a pod. */
export const DISRUPTION_TARGET = {
  type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
};

/** How often the NoExecute tainting pass runs (upstream NodeEvictionPeriod). */
export const NODE_EVICTION_PERIOD_MS = 100;
/** Tries of a node health update before giving up for this pass. */
export const NODE_HEALTH_UPDATE_RETRY = 5;
/** Workers that update node health in parallel. */
export const NODE_UPDATE_WORKERS = 8;

/** The settings in force, every one resolved to its upstream v1.32 default when not given. */
export interface NodeLifecycleSettings {
  gracePeriodMs: number;
  monitorPeriodMs: number;
  startupGracePeriodMs: number;
  evictionRate: number;
  secondaryEvictionRate: number;
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
}

/** Resolves the settings: grace 50 s, period 5 s, startup grace 60 s, rates 0.1/0.01, threshold 50 nodes, 55 %. */
export function resolveSettings(options: ControllerOptions): NodeLifecycleSettings {
  return {
    gracePeriodMs: options.nodeMonitorGracePeriodMs ?? 50_000,
    monitorPeriodMs: options.nodeMonitorPeriodMs ?? 5_000,
    startupGracePeriodMs: options.nodeStartupGracePeriodMs ?? 60_000,
    evictionRate: options.nodeEvictionRate ?? 0.1,
    secondaryEvictionRate: options.secondaryNodeEvictionRate ?? 0.01,
    largeClusterThreshold: options.largeClusterSizeThreshold ?? 50,
    unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? 0.55,
  };
}
