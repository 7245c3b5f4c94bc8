/**
 * Data plugins share within one scheduling attempt of one pod: PreFilter and PreScore write
 * what Filter and Score then read, keyed by a name each plugin owns. Also records which plugins
 * asked to be skipped for this pod.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter answered Skip. */
  readonly skipFilterPlugins = new Set<string>();
  /** Score plugins whose PreScore answered Skip. */
  readonly skipScorePlugins = new Set<string>();

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** The value under `key`, or undefined. */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** A copy sharing the values (which plugins treat as immutable) and the skip sets. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v);
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}
