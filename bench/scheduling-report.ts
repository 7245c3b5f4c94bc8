/** The scheduling section of docs/benchmarks.md. */
import type { SchedulingFigures } from './scheduling.js';
import { fmtCpu, fmtMs, fmtNum } from './stats.js';

/** Upstream kube-scheduler with its default client limits (QPS 50) on 1,000 fake nodes, on this kind of machine. */
export const UPSTREAM_SCHEDULER_PODS_PER_SEC = 51;
/** Target: pods bound per second at 5,000 nodes, through the real API server. */
export const SCHEDULING_TARGET_PODS_PER_SEC = 1000;

/** The scenario the target is judged on (upstream's scheduler_perf SchedulingBasic/5000Nodes). */
export function basic5000(results: SchedulingFigures[]): SchedulingFigures | undefined {
  return results.find((r) => r.scenario.name === 'SchedulingBasic/5000Nodes');
}

/** Renders section 6 as markdown lines. */
export function renderScheduling(results: SchedulingFigures[], cores: number): string[] {
  const out: string[] = [];
  out.push('## 6. Scheduling');
  out.push('');
  out.push('`tskube server` on SQLite, `tskube scheduler` and, for Deployments, `tskube controller-manager` '
    + '(`--controllers replicaset,deployment`) run as separate processes, each with its own identity, as `tskube up` runs them; '
    + 'Nodes are created as objects with 32 CPUs, 128Gi and 110 pods each and no kubelet, as upstream\'s scheduler_perf does. '
    + 'Pods request 100m CPU and 128Mi. The benchmark process creates the pods (32 at a time) or the Deployments (100 replicas each) '
    + 'and watches the pods: latency is from the watch event that shows a pod to the one that shows it bound; pods/s is the '
    + 'measured pods over the time from the first of them appearing to the last binding. Every binding is a `POST pods/<name>/binding`, '
    + 'followed by the `Scheduled` event. `SchedulingBasic/5000Nodes` mirrors upstream\'s scheduler_perf workload: 5,000 nodes, '
    + '1,000 pods created and bound first, 1,000 measured.');
  out.push('');
  const rows = results.map((r) => [
    r.scenario.name, fmtNum(r.scenario.nodes), fmtNum(r.scenario.initPods), `${fmtNum(r.scenario.pods)} ${r.scenario.via === 'pods' ? 'pods' : `pods via ${fmtNum(r.scenario.pods / (r.scenario.replicasPerDeployment ?? 100))} Deployments`}`,
    `${fmtNum(r.bound)}`, fmtNum(r.podsPerSec), fmtMs(r.p50Ms), fmtMs(r.p99Ms),
    `${r.spread.min}–${r.spread.max} (σ ${fmtNum(r.spread.stddev, 2)})`,
    `${fmtCpu(r.cpu.server)} / ${fmtCpu(r.cpu.scheduler)}${r.cpu.controllerManager ? ` / ${fmtCpu(r.cpu.controllerManager)}` : ''} / ${fmtCpu(r.cpu.bench)}`,
  ]);
  const header = ['workload', 'nodes', 'init pods', 'measured', 'bound', 'pods bound/s', 'create→bound p50', 'p99', 'pods per node min–max', 'CPU s: server / scheduler / (controllers) / bench'];
  out.push(`| ${header.join(' | ')} |`);
  out.push(`| --- | ${header.slice(1).map(() => '---:').join(' | ')} |`);
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  out.push('');
  // What bounds throughput: every CPU-millisecond a bound pod costs, over the machine's cores.
  const cpuLines = results.map((r) => {
    const per = (sec: number) => (sec * 1000) / r.bound;
    const total = per(r.cpu.server) + per(r.cpu.scheduler) + per(r.cpu.controllerManager) + per(r.cpu.bench);
    return `${r.scenario.name}: ${fmtNum(per(r.cpu.server), 2)} ms server, ${fmtNum(per(r.cpu.scheduler), 2)} ms scheduler`
      + `${r.cpu.controllerManager ? `, ${fmtNum(per(r.cpu.controllerManager), 2)} ms controllers` : ''}, ${fmtNum(per(r.cpu.bench), 2)} ms benchmark`
      + ` = ${fmtNum(total, 2)} CPU-ms, at most ${fmtNum((cores * 1000) / total)} pods/s on ${cores} cores`;
  });
  out.push(`CPU per bound pod (each pod is a create, a binding and a \`Scheduled\` event for the server; the benchmark's own creates and watch share the cores): ${cpuLines.join('; ')}.`);
  out.push('');
  const b = basic5000(results);
  out.push(`Target: ≥ ${fmtNum(SCHEDULING_TARGET_PODS_PER_SEC)} pods bound per second at 5,000 nodes (SchedulingBasic/5000Nodes); `
    + (b ? `measured ${fmtNum(b.podsPerSec)}: ${b.podsPerSec >= SCHEDULING_TARGET_PODS_PER_SEC ? '**met**' : '**not met**'}. ` : 'not measured in this run. ')
    + `For scale, upstream's kube-scheduler with its default client limits bound ${UPSTREAM_SCHEDULER_PODS_PER_SEC} pods/s with 1,000 fake nodes on this kind of machine.`);
  out.push('');
  return out;
}
