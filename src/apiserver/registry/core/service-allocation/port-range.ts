/** The node port range (`--service-node-port-range`) and the offsets the allocator counts in it. */

/** Where upstream splits the port range into a lower band kept for requested ports and the upper band handed out first. */
function staticBandSize(size: number): number {
  // upstream: min(max(16, size/32), 128), and 0 for ranges of 16 ports or fewer.
  if (size <= 16) return 0;
  const step = Math.floor(size / 32);
  return Math.min(Math.max(step, 16), 128);
}

/** A contiguous range of ports; offset 0 is `base`. */
export class PortRange {
  /** Offsets below this are handed out only on request (upstream's static subrange). */
  readonly staticBand: number;

  constructor(readonly base: number, readonly size: number) {
    this.staticBand = staticBandSize(size);
  }

  /** The range as upstream prints it in messages: `30000-32767`. */
  get spec(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  /** The offset of a port, or undefined when it is outside the range. */
  offsetOf(port: number): number | undefined {
    if (!Number.isInteger(port) || port < this.base || port >= this.base + this.size) return undefined;
    return port - this.base;
  }

  /** The port at an offset. */
  portAt(offset: number): number {
    return this.base + offset;
  }
}

/**
 * Parses a range flag value in upstream's notations: `30000-32767`, `30000+2767` or a single port.
 * Throws an Error naming the flag when it is not a range of ports.
 */
export function parsePortRange(text: string, flag = '--service-node-port-range'): PortRange {
  const value = text.trim();
  const num = (s: string): number => {
    if (!/^[+-]?\d+$/.test(s)) throw new Error(`${flag}: unable to parse port range: ${text}`);
    return Number(s);
  };
  let low: number;
  let high: number;
  const hyphen = value.indexOf('-');
  const plus = value.indexOf('+');
  if (hyphen >= 0 && plus >= 0) throw new Error(`${flag}: unable to parse port range: ${text}`);
  if (hyphen >= 0) {
    low = num(value.slice(0, hyphen));
    high = num(value.slice(hyphen + 1));
  } else if (plus >= 0) {
    low = num(value.slice(0, plus));
    high = low + num(value.slice(plus + 1));
  } else {
    low = high = num(value);
  }
  if (low > 65535 || high > 65535) throw new Error(`${flag}: the port range cannot be greater than 65535: ${text}`);
  if (high < low) throw new Error(`${flag}: end port cannot be less than start port: ${text}`);
  if (low < 0) throw new Error(`${flag}: unable to parse port range: ${text}`);
  return new PortRange(low, high - low + 1);
}
