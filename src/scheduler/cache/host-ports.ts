/** Host ports in use on a node, with upstream's conflict rules for the wildcard address. */

/** The address that binds every host IP. */
export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

function sanitize(ip: string, protocol: string, port: number): [string, string] {
  return [ip || DEFAULT_BIND_ALL_HOST_IP, `${protocol || 'TCP'}/${port}`];
}

/**
 * (IP, protocol, port) triples in use, counted so that two pods holding the same triple (which
 * the filter normally prevents) release it only when both are gone.
 */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const [host, pp] = sanitize(ip, protocol, port);
    let m = this.byIP.get(host);
    if (!m) this.byIP.set(host, (m = new Map()));
    m.set(pp, (m.get(pp) ?? 0) + 1);
  }

  remove(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const [host, pp] = sanitize(ip, protocol, port);
    const m = this.byIP.get(host);
    if (!m) return;
    const n = (m.get(pp) ?? 0) - 1;
    if (n > 0) m.set(pp, n);
    else m.delete(pp);
    if (m.size === 0) this.byIP.delete(host);
  }

  /** Number of distinct triples in use. */
  get size(): number {
    let n = 0;
    for (const m of this.byIP.values()) n += m.size;
    return n;
  }

  /**
   * Whether (ip, protocol, port) collides: the wildcard address collides with the port on any
   * address, and any address collides with the wildcard.
   */
  conflicts(ip: string, protocol: string, port: number): boolean {
    if (port <= 0 || this.byIP.size === 0) return false;
    const [host, pp] = sanitize(ip, protocol, port);
    if (host === DEFAULT_BIND_ALL_HOST_IP) {
      for (const m of this.byIP.values()) if (m.has(pp)) return true;
      return false;
    }
    return !!(this.byIP.get(DEFAULT_BIND_ALL_HOST_IP)?.has(pp) || this.byIP.get(host)?.has(pp));
  }
}
