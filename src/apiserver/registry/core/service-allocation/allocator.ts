/**
 * Cluster IP and node port allocation for Services, with upstream's semantics: IP family fields
 * initialised from the configured ranges, requested values taken or refused with upstream's field
 * errors, missing ones allocated, values released on delete and on type changes, and every step
 * undone when the write it prepared does not happen.
 */
import { ApiError, internalError, invalid, type FieldError } from '../../../../machinery/status.js';
import { invalidValue } from '../../../../machinery/validation.js';
import type { ApiObject } from '../../resource.js';
import { validateClusterIPsRelatedFields } from '../services.js';
import type { AllocationSet } from './allocation-set.js';
import { familyOf, formatIp, parseIp, type IpFamily, type IpRange } from './ip-range.js';
import type { PortRange } from './port-range.js';
import {
  CLUSTER_IP_NONE, allocatesNodePorts, clusterIPsOf, isHeadless, needsClusterIP, needsHealthCheck, needsNodePort, nodePortsOf,
  portsOf, sameStrings, specOf, goStringList,
} from './service-fields.js';

/** A range and the persistent set of what is allocated in it. */
export interface Pool<R> {
  range: R;
  set: AllocationSet;
}

/** Work to undo a prepared write that did not happen. */
export type Undo = () => Promise<void>;

/** The first port a dry run reports as allocated is one above this (upstream's placeholder). */
const DRY_RUN_PORT_BASE = 32768;

/** Collects compensating steps and runs them newest first. */
class UndoLog {
  private readonly steps: Undo[] = [];
  add(step: Undo): void {
    this.steps.push(step);
  }
  get empty(): boolean {
    return this.steps.length === 0;
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        // Repair on the next start fixes what cannot be undone now.
        console.error('service allocation: undo failed:', err);
      }
    }
  }
}

function otherFamily(f: IpFamily): IpFamily {
  return f === 'IPv4' ? 'IPv6' : 'IPv4';
}

function serviceInvalid(svc: ApiObject, errs: FieldError[]): ApiError {
  return invalid('Service', '', String(svc.metadata?.name ?? ''), errs);
}

/** The node port work of one write: what it took (for dry-run numbering and undo). */
class PortOperation {
  readonly taken: number[] = [];
  constructor(private readonly pool: Pool<PortRange>, private readonly dryRun: boolean, private readonly undo: UndoLog) {}

  /** Takes a requested port; the upstream error text when it cannot. */
  async allocate(port: number): Promise<string | undefined> {
    if (this.dryRun) {
      const offset = this.pool.range.offsetOf(port);
      if ((offset !== undefined && await this.pool.set.has(offset)) || this.taken.includes(port)) return 'provided port is already allocated';
      this.taken.push(port);
      return undefined;
    }
    const offset = this.pool.range.offsetOf(port);
    if (offset === undefined) return `provided port is not in the valid range. The range of valid ports is ${this.pool.range.spec}`;
    if (!(await this.pool.set.allocate(offset))) return 'provided port is already allocated';
    this.taken.push(port);
    this.undo.add(() => this.pool.set.release([offset]));
    return undefined;
  }

  /** Takes any free port; undefined when the range is full. */
  async allocateNext(): Promise<number | undefined> {
    if (this.dryRun) {
      const port = (this.taken.length > 0 ? Math.max(...this.taken) : DRY_RUN_PORT_BASE) + 1;
      this.taken.push(port);
      return port;
    }
    const offset = await this.pool.set.allocateNext();
    if (offset === undefined) return undefined;
    const port = this.pool.range.portAt(offset);
    this.taken.push(port);
    this.undo.add(() => this.pool.set.release([offset]));
    return port;
  }

  /** Gives ports back now; undone by taking them again. */
  async release(ports: number[]): Promise<void> {
    if (this.dryRun) return;
    const offsets = ports.map((p) => this.pool.range.offsetOf(p)).filter((o): o is number => o !== undefined);
    if (offsets.length === 0) return;
    await this.pool.set.release(offsets);
    this.undo.add(async () => {
      for (const o of offsets) await this.pool.set.allocate(o);
    });
  }
}

/** Allocates and releases the cluster IPs and node ports of Services. See the module comment. */
export class ServiceAllocator {
  /** The family of the first configured range: what services get by default. */
  readonly primaryFamily: IpFamily;

  constructor(private readonly ipPools: Map<IpFamily, Pool<IpRange>>, private readonly ports: Pool<PortRange>) {
    const first = ipPools.keys().next();
    if (first.done) throw new Error('at least one service cluster IP range is needed');
    this.primaryFamily = first.value;
  }

  /**
   * Allocates what a new service needs (fills spec.ipFamilies/ipFamilyPolicy, clusterIP(s), node
   * ports, the health check node port). Answers the undo for a create that does not happen; a dry
   * run changes nothing and answers none.
   */
  async allocateCreate(svc: ApiObject, dryRun: boolean): Promise<Undo | undefined> {
    this.initIPFamilyFields(svc, null);
    const undo = new UndoLog();
    try {
      await this.allocClusterIPs(svc, dryRun, undo);
      const op = new PortOperation(this.ports, dryRun, undo);
      if (needsNodePort(svc)) await this.initNodePorts(svc, op);
      if (needsHealthCheck(svc)) await this.allocHealthCheckNodePort(svc, op);
    } catch (err) {
      await undo.run();
      throw err;
    }
    return dryRun || undo.empty ? undefined : () => undo.run();
  }

  /**
   * Allocates and releases what an update changes: cluster IPs on a change from or to
   * ExternalName (and a second family), node ports on a change of type or ports, the health check
   * node port. Released values are given back at once and taken again by the undo.
   */
  async allocateUpdate(svc: ApiObject, old: ApiObject, dryRun: boolean): Promise<Undo | undefined> {
    this.initIPFamilyFields(svc, old);
    const undo = new UndoLog();
    try {
      await this.updateClusterIPs(svc, old, dryRun, undo);
      const op = new PortOperation(this.ports, dryRun, undo);
      const type = specOf(svc).type;
      if (needsNodePort(old) && (type === 'ExternalName' || type === 'ClusterIP')) await op.release(nodePortsOf(old));
      if (needsNodePort(svc)) await this.updateNodePorts(svc, old, op);
      await this.updateHealthCheckNodePort(svc, old, op);
    } catch (err) {
      await undo.run();
      throw err;
    }
    return dryRun || undo.empty ? undefined : () => undo.run();
  }

  /** Releases everything a deleted service held. */
  async releaseAll(svc: ApiObject): Promise<void> {
    if (needsClusterIP(svc) && !isHeadless(svc)) {
      for (const ip of clusterIPsOf(svc)) await this.releaseIP(ip);
    }
    const ports = [...nodePortsOf(svc)];
    const hc = specOf(svc).healthCheckNodePort;
    if (needsHealthCheck(svc) && typeof hc === 'number' && hc > 0) ports.push(hc);
    const offsets = ports.map((p) => this.ports.range.offsetOf(p)).filter((o): o is number => o !== undefined);
    await this.ports.set.release(offsets);
  }

  /**
   * Makes the stored allocation state agree with the stored services: frees what no service
   * holds (unless allocated moments ago) and takes what services hold but is not taken.
   */
  async repair(services: Iterable<ApiObject>): Promise<void> {
    const ips = new Map<IpFamily, number[]>([...this.ipPools.keys()].map((f) => [f, []]));
    const ports: number[] = [];
    for (const svc of services) {
      for (const ip of clusterIPsOf(svc)) {
        const parsed = parseIp(ip);
        const pool = parsed && this.ipPools.get(parsed.family);
        const offset = parsed && pool ? pool.range.offsetOf(parsed) : undefined;
        if (offset !== undefined) ips.get(parsed!.family)!.push(offset);
      }
      const held = [...nodePortsOf(svc)];
      const hc = specOf(svc).healthCheckNodePort;
      if (needsHealthCheck(svc) && typeof hc === 'number' && hc > 0) held.push(hc);
      for (const p of held) {
        const offset = this.ports.range.offsetOf(p);
        if (offset !== undefined) ports.push(offset);
      }
    }
    for (const [family, pool] of this.ipPools) await pool.set.repair(ips.get(family)!);
    await this.ports.set.repair(ports);
  }

  // -------------------------------------------------------------------------------------------
  // IP families

  private configured(f: unknown): f is IpFamily {
    return this.ipPools.has(f as IpFamily);
  }

  /**
   * Settles ipFamilyPolicy and ipFamilies from what the client gave and what the cluster offers,
   * refusing (422) what the cluster cannot serve.
   */
  private initIPFamilyFields(svc: ApiObject, old: ApiObject | null): void {
    if (!needsClusterIP(svc)) return;
    if (old && this.matchingPreferDualStack(svc, old)) return;
    const spec = svc.spec;
    if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
      if (old && specOf(old).ipFamilyPolicy) spec.ipFamilyPolicy = specOf(old).ipFamilyPolicy;
      else if (spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0) spec.ipFamilyPolicy = 'RequireDualStack';
      else spec.ipFamilyPolicy = 'SingleStack';
    }
    const pre = validateClusterIPsRelatedFields(svc);
    if (pre.length > 0) throw serviceInvalid(svc, pre);
    const errs: FieldError[] = [];
    const policy = spec.ipFamilyPolicy;
    if (!Array.isArray(spec.ipFamilies)) delete spec.ipFamilies;
    if (old) {
      if (policy === 'SingleStack') {
        if (sameStrings(specOf(old).clusterIPs, spec.clusterIPs) && clusterIPsOf(svc).length > 1) spec.clusterIPs = clusterIPsOf(svc).slice(0, 1);
        if (sameStrings(specOf(old).ipFamilies, spec.ipFamilies) && (spec.ipFamilies ?? []).length > 1) spec.ipFamilies = spec.ipFamilies.slice(0, 1);
      } else {
        if (clusterIPsOf(svc).length > 0 && clusterIPsOf(svc).length < clusterIPsOf(old).length) {
          errs.push(invalidValue('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"));
        }
        const nf = (spec.ipFamilies ?? []).length;
        if (nf > 0 && nf < (specOf(old).ipFamilies ?? []).length) {
          errs.push(invalidValue('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"));
        }
      }
    }
    if (policy === 'SingleStack') {
      if (clusterIPsOf(svc).length === 2) errs.push(invalidValue('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if ((spec.ipFamilies ?? []).length === 2) errs.push(invalidValue('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
    const ips = clusterIPsOf(svc);
    for (let i = 0; i < ips.length; i++) {
      if (ips[i] === CLUSTER_IP_NONE) break;
      if (i < (spec.ipFamilies ?? []).length) continue;
      const fam = familyOf(ips[i]) ?? 'unknown';
      if (!this.configured(fam)) {
        errs.push({ type: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, detail: `Invalid value: ${goStringList(spec.clusterIPs)}: ${fam} is not configured on this cluster` });
      } else {
        spec.ipFamilies = [...(spec.ipFamilies ?? []), fam];
      }
    }
    if (errs.length > 0) throw serviceInvalid(svc, errs);
    if (spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0) {
      // Headless and selectorless: any family the endpoints may have.
      if (!spec.ipFamilies?.length) spec.ipFamilies = [this.primaryFamily];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies = [...spec.ipFamilies, otherFamily(spec.ipFamilies[0])];
      return;
    }
    if (policy === 'RequireDualStack' && this.ipPools.size < 2) {
      errs.push(invalidValue('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
    }
    (spec.ipFamilies ?? []).forEach((f: unknown, i: number) => {
      if (!this.configured(f)) errs.push(invalidValue(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    });
    if (errs.length > 0) throw serviceInvalid(svc, errs);
    if (!spec.ipFamilies?.length) spec.ipFamilies = [this.primaryFamily];
    if (spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length === 1 && this.ipPools.size === 2) {
      spec.ipFamilies = [...spec.ipFamilies, otherFamily(spec.ipFamilies[0])];
    }
  }

  /** Two PreferDualStack services of the same IP type with the same IPs and families: nothing to settle. */
  private matchingPreferDualStack(svc: ApiObject, old: ApiObject): boolean {
    const s = specOf(svc);
    const o = specOf(old);
    if (!s.ipFamilyPolicy || o.type !== s.type) return false;
    if (s.type !== 'ClusterIP' && s.type !== 'NodePort' && s.type !== 'LoadBalancer') return false;
    if (s.ipFamilyPolicy !== 'PreferDualStack' || (o.ipFamilyPolicy && o.ipFamilyPolicy !== 'PreferDualStack')) return false;
    return sameStrings(o.clusterIPs, s.clusterIPs) && sameStrings(o.ipFamilies, s.ipFamilies);
  }

  // -------------------------------------------------------------------------------------------
  // Cluster IPs

  /** Takes the cluster IPs of each of the service's families: the requested ones, or free ones. */
  private async allocClusterIPs(svc: ApiObject, dryRun: boolean, undo: UndoLog, onlyIndex?: number): Promise<void> {
    if (!needsClusterIP(svc) || isHeadless(svc)) return;
    const spec = svc.spec;
    const families: IpFamily[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    const ips = [...clusterIPsOf(svc)];
    while (ips.length < families.length) ips.push('');
    spec.clusterIPs = ips;
    for (let i = 0; i < families.length; i++) {
      if (onlyIndex !== undefined && i !== onlyIndex) continue;
      const pool = this.ipPools.get(families[i])!;
      const wanted = ips[i];
      let got: string;
      if (!wanted) {
        if (dryRun) {
          got = pool.range.networkAddress();
        } else {
          const offset = await pool.set.allocateNext();
          if (offset === undefined) throw internalError(new Error('failed to allocate a serviceIP: range is full'));
          undo.add(() => pool.set.release([offset]));
          got = pool.range.ipAt(offset);
        }
      } else {
        const parsed = parseIp(wanted)!;
        const offset = pool.range.offsetOf(parsed);
        const refuse = (why: string) => serviceInvalid(svc, [{
          type: 'FieldValueInvalid', field: 'spec.clusterIPs',
          detail: `Invalid value: ${goStringList(spec.clusterIPs)}: failed to allocate IP ${wanted}: ${why}`,
        }]);
        if (offset === undefined) {
          throw refuse(`the provided IP (${formatIp(parsed)}) is not in the valid range. The range of valid IPs is ${pool.range.cidr}`);
        }
        if (!dryRun) {
          if (!(await pool.set.allocate(offset))) throw refuse('provided IP is already allocated');
          undo.add(() => pool.set.release([offset]));
        }
        got = wanted;
      }
      ips[i] = got;
      if (i === 0) spec.clusterIP = got;
    }
    spec.clusterIPs = ips;
  }

  private async releaseIP(ip: string): Promise<number | undefined> {
    const parsed = parseIp(ip);
    const pool = parsed ? this.ipPools.get(parsed.family) : undefined;
    const offset = parsed && pool ? pool.range.offsetOf(parsed) : undefined;
    if (pool && offset !== undefined) await pool.set.release([offset]);
    return offset;
  }

  private async releaseIPsNow(ips: string[], dryRun: boolean, undo: UndoLog): Promise<void> {
    if (dryRun) return;
    for (const ip of ips) {
      const parsed = parseIp(ip);
      const pool = parsed ? this.ipPools.get(parsed.family) : undefined;
      const offset = await this.releaseIP(ip);
      if (pool && offset !== undefined) undo.add(async () => { await pool.set.allocate(offset); });
    }
  }

  private async updateClusterIPs(svc: ApiObject, old: ApiObject, dryRun: boolean, undo: UndoLog): Promise<void> {
    if (this.matchingPreferDualStack(svc, old)) return;
    const s = specOf(svc);
    const o = specOf(old);
    if (o.type === 'ExternalName' && s.type !== 'ExternalName') {
      await this.allocClusterIPs(svc, dryRun, undo);
      return;
    }
    if (isHeadless(old)) return;
    if (o.type !== 'ExternalName' && s.type === 'ExternalName') {
      await this.releaseIPsNow(clusterIPsOf(old), dryRun, undo);
      return;
    }
    const before: unknown[] = Array.isArray(o.ipFamilies) ? o.ipFamilies : [];
    const after: unknown[] = Array.isArray(s.ipFamilies) ? s.ipFamilies : [];
    if (before.length === 1 && after.length === 2) {
      await this.allocClusterIPs(svc, dryRun, undo, 1);
    } else if (before.length === 2 && after.length === 1) {
      await this.releaseIPsNow(clusterIPsOf(old).slice(1, 2), dryRun, undo);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Node ports

  private static portError(svc: ApiObject, index: number, port: number, why: string): ApiError {
    return serviceInvalid(svc, [invalidValue(`spec.ports[${index}].nodePort`, port, why)]);
  }

  /** A new NodePort/LoadBalancer service: requested node ports taken, the rest allocated (one per port number). */
  private async initNodePorts(svc: ApiObject, op: PortOperation): Promise<void> {
    const ports = portsOf(svc);
    const byPort = new Map<number, number>();
    const allocate = allocatesNodePorts(svc);
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (!p.nodePort && !allocate) continue;
      const already = byPort.get(p.port) ?? 0;
      if (already === 0) {
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort ?? 0;
        if (requested) {
          const why = await op.allocate(requested);
          if (why) throw ServiceAllocator.portError(svc, i, requested, why);
          p.nodePort = requested;
          byPort.set(p.port, requested);
        } else {
          const next = await op.allocateNext();
          if (next === undefined) throw internalError(new Error('failed to allocate a nodePort: range is full'));
          p.nodePort = next;
          byPort.set(p.port, next);
        }
      } else if (p.nodePort !== already) {
        if (!p.nodePort) {
          p.nodePort = already;
        } else {
          const why = await op.allocate(p.nodePort);
          if (why) throw ServiceAllocator.portError(svc, i, p.nodePort, why);
        }
      }
    }
  }

  /** An updated NodePort/LoadBalancer service: new node ports taken or allocated, dropped ones released. */
  private async updateNodePorts(svc: ApiObject, old: ApiObject, op: PortOperation): Promise<void> {
    const oldPorts = nodePortsOf(old);
    const takenNow = new Set<number>();
    const allocate = allocatesNodePorts(svc);
    const ports = portsOf(svc);
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (!p.nodePort && !allocate) continue;
      if (p.nodePort) {
        if (!oldPorts.includes(p.nodePort) && !takenNow.has(p.nodePort)) {
          const why = await op.allocate(p.nodePort);
          if (why) throw ServiceAllocator.portError(svc, i, p.nodePort, why);
          takenNow.add(p.nodePort);
        }
      } else {
        const next = await op.allocateNext();
        if (next === undefined) throw internalError(new Error('failed to allocate a nodePort: range is full'));
        p.nodePort = next;
      }
    }
    const kept = new Set(nodePortsOf(svc));
    await op.release([...new Set(oldPorts.filter((n) => !kept.has(n)))]);
  }

  private async allocHealthCheckNodePort(svc: ApiObject, op: PortOperation): Promise<void> {
    const requested = specOf(svc).healthCheckNodePort;
    if (typeof requested === 'number' && requested !== 0) {
      const why = await op.allocate(requested);
      if (why) throw internalError(new Error(`failed to allocate requested HealthCheck NodePort ${requested}: ${why}`));
      return;
    }
    const next = await op.allocateNext();
    if (next === undefined) throw internalError(new Error('failed to allocate a HealthCheck NodePort 0: range is full'));
    svc.spec.healthCheckNodePort = next;
  }

  private async updateHealthCheckNodePort(svc: ApiObject, old: ApiObject, op: PortOperation): Promise<void> {
    const needed = needsHealthCheck(old);
    const needs = needsHealthCheck(svc);
    if (!needed && needs) {
      await this.allocHealthCheckNodePort(svc, op);
    } else if (needed && !needs) {
      const hc = specOf(old).healthCheckNodePort;
      if (typeof hc === 'number' && hc > 0) await op.release([hc]);
    }
  }
}
