/**
 * IP addresses and the service cluster IP range (`--service-cluster-ip-range`): parsing, printing
 * and the offset arithmetic the allocator works with.
 *
 * The address math is written here by hand on purpose: Node's `net` module only answers whether a
 * string is an address (it cannot turn one into a number or back), the well-kept address libraries
 * (ipaddr.js, ip-address) would be a new dependency of the package for ~100 lines of BigInt work,
 * and upstream's parser is "sloppy" (IPv4 octets with leading zeros are accepted) in a way those
 * libraries are not. Addresses are BigInts: 32 bits for IPv4, 128 for IPv6.
 */

/** An address family, as `spec.ipFamilies` names it. */
export type IpFamily = 'IPv4' | 'IPv6';

/** A parsed address: its family and its value as an unsigned integer. */
export interface ParsedIp {
  family: IpFamily;
  value: bigint;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    // Leading zeros are accepted, as upstream's sloppy parser does ("010.1.2.3" is 10.1.2.3).
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (text.length === 0 || text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 address may only end the text.
  if (halves.length === 2 && halves[0].includes('.')) return null;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    all = head;
  }
  if (all.length !== 8) return null;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/**
 * Parses an IPv4 or IPv6 address; null when `text` is not one. An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`) is the IPv4 address, as upstream treats it.
 */
export function parseIp(text: unknown): ParsedIp | null {
  if (typeof text !== 'string') return null;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === null ? null : { family: 'IPv4', value: v4 };
  }
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { family: 'IPv4', value: v6 & 0xffffffffn };
  return { family: 'IPv6', value: v6 };
}

/** The family of an address text (upstream's `familyOf`), or undefined when it is not an address. */
export function familyOf(text: unknown): IpFamily | undefined {
  return parseIp(text)?.family;
}

/** Prints an address canonically: dotted IPv4, or RFC 5952 IPv6 (longest zero run of 2+ groups as `::`). */
export function formatIp(ip: ParsedIp): string {
  if (ip.family === 'IPv4') {
    const v = ip.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  if (ip.value >> 32n === 0xffffn) {
    return formatIp({ family: 'IPv4', value: ip.value & 0xffffffffn });
  }
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (from: number, to: number) => g.slice(from, to).map((n) => n.toString(16)).join(':');
  if (bestLen < 2) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Where upstream splits a range into a lower band kept for requested values and the upper band handed out first. */
function staticBandSize(rangeSize: bigint): number {
  // upstream: min(max(16, size/16), 256), and 0 for ranges of 16 addresses or fewer.
  if (rangeSize <= 16n) return 0;
  const step = rangeSize / 16n;
  if (step < 16n) return 16;
  if (step > 256n) return 256;
  return Number(step);
}

/** The most host bits a service range may have (upstream's limit: a /12 for IPv4, a /108 for IPv6). */
const MAX_HOST_BITS = 20;

/**
 * The service cluster IP range of one family. Offsets count usable addresses from the one after the
 * network address: offset 0 is `10.96.0.1` in `10.96.0.0/12`. The network address is never handed
 * out, nor the IPv4 broadcast address; IPv6 ranges are capped at 65,536 addresses, as upstream.
 */
export class IpRange {
  /** The range as upstream prints it in messages: the network address and prefix (`10.96.0.0/12`). */
  readonly cidr: string;
  /** How many addresses may be allocated. */
  readonly size: number;
  /** Offsets below this are handed out only on request (upstream's static subrange). */
  readonly staticBand: number;
  private readonly first: bigint;

  constructor(readonly family: IpFamily, readonly network: bigint, readonly prefix: number) {
    const bits = family === 'IPv4' ? 32 : 128;
    const total = 1n << BigInt(bits - prefix);
    this.cidr = `${formatIp({ family, value: network })}/${prefix}`;
    let usable = family === 'IPv4' ? total - 2n : (total > 65536n ? 65536n : total) - 1n;
    if (usable < 0n) usable = 0n;
    this.size = Number(usable);
    this.first = network + 1n;
    this.staticBand = staticBandSize(total);
  }

  /** The offset of an address in this range, or undefined when the range cannot hand it out. */
  offsetOf(ip: ParsedIp): number | undefined {
    if (ip.family !== this.family) return undefined;
    const bits = this.family === 'IPv4' ? 32 : 128;
    const hostBits = BigInt(bits - this.prefix);
    if ((ip.value >> hostBits) !== (this.network >> hostBits)) return undefined;
    const offset = ip.value - this.first;
    if (offset < 0n || offset >= BigInt(this.size)) return undefined;
    return Number(offset);
  }

  /** The address at an offset. */
  ipAt(offset: number): string {
    return formatIp({ family: this.family, value: this.first + BigInt(offset) });
  }

  /** The network address itself (what a dry run shows in place of an allocated address). */
  networkAddress(): string {
    return formatIp({ family: this.family, value: this.network });
  }
}

/**
 * Parses a range flag value such as `10.96.0.0/12` (host bits are ignored, as upstream's sloppy
 * parser does); throws an Error naming the flag when it is not a usable service range.
 */
export function parseServiceCidr(text: string, flag = '--service-cluster-ip-range'): IpRange {
  const slash = text.indexOf('/');
  const ip = slash > 0 ? parseIp(text.slice(0, slash)) : null;
  const prefixText = slash > 0 ? text.slice(slash + 1) : '';
  const bits = ip?.family === 'IPv6' ? 128 : 32;
  if (!ip || !/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    throw new Error(`${flag}: invalid CIDR address: ${text}`);
  }
  const prefix = Number(prefixText);
  if (bits - prefix > MAX_HOST_BITS) {
    throw new Error(`specified ${flag} is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MAX_HOST_BITS}`);
  }
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  const range = new IpRange(ip.family, network, prefix);
  if (range.size < 1) throw new Error(`${flag}: ${text} leaves no address to allocate`);
  return range;
}
