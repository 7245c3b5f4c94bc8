/**
 * IPv4 address arithmetic and a pool that hands out the host addresses of one CIDR, as a CNI
 * host-local IPAM plugin does for a node's pod CIDR.
 */

/** Parses a dotted IPv4 address into a 32-bit unsigned number; throws on a malformed one. */
export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n;
}

/** Renders a 32-bit unsigned number as a dotted IPv4 address. */
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** A parsed `a.b.c.d/len` block. */
export interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

/** Parses `a.b.c.d/len` (the base is masked to the prefix); throws on a malformed one. */
export function parseCidr(cidr: string): Cidr {
  const [ip, len] = cidr.split('/');
  const prefix = Number(len);
  if (!/^\d{1,2}$/.test(len ?? '') || prefix > 32) throw new Error(`invalid CIDR "${cidr}"`);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToNumber(ip) / size) * size;
  return { base, prefix, size };
}

/**
 * The `index`-th subnet of `/subnetPrefix` inside `cidr` (`10.244.0.0/16`, 24, 3 → `10.244.3.0/24`).
 * Throws when the index does not fit.
 */
export function nthSubnet(cidr: string, subnetPrefix: number, index: number): string {
  const outer = parseCidr(cidr);
  if (subnetPrefix < outer.prefix) throw new Error(`a /${subnetPrefix} does not fit in ${cidr}`);
  const size = 2 ** (32 - subnetPrefix);
  const count = outer.size / size;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${cidr} holds ${count} subnets of /${subnetPrefix}; index ${index} is out of range`);
  }
  return `${numberToIp(outer.base + index * size)}/${subnetPrefix}`;
}

/**
 * Hands out the addresses of one CIDR in turn, each search starting after the address handed
 * out last (as CNI host-local IPAM does), so a released address is not reused at once. The network
 * address, the first host address (the bridge's gateway) and the broadcast address are never
 * handed out.
 */
export class IpPool {
  private readonly cidr: Cidr;
  private readonly used = new Set<number>();
  private next: number;

  constructor(cidr: string) {
    this.cidr = parseCidr(cidr);
    this.next = this.first;
  }

  private get first(): number {
    return this.cidr.base + 2;
  }

  private get last(): number {
    return this.cidr.base + this.cidr.size - 2;
  }

  /** How many addresses can be handed out in all. */
  get capacity(): number {
    return Math.max(0, this.last - this.first + 1);
  }

  /** How many addresses are in use. */
  get inUse(): number {
    return this.used.size;
  }

  /** Takes a free address; throws when none is left. */
  allocate(): string {
    if (this.used.size >= this.capacity) throw new Error(`no free address in ${numberToIp(this.cidr.base)}/${this.cidr.prefix}`);
    let n = this.next;
    while (this.used.has(n)) n = n >= this.last ? this.first : n + 1;
    this.used.add(n);
    this.next = n >= this.last ? this.first : n + 1;
    return numberToIp(n);
  }

  /** Gives an address back (unknown ones are ignored). */
  release(ip: string): void {
    this.used.delete(ipToNumber(ip));
  }
}
