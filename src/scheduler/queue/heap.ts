/**
 * A binary heap of items addressed by key: push, pop, peek, update and delete by key in
 * O(log n), `has` / `get` in O(1).
 */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  /** Adds `item` under `key`, or replaces the item already there and restores the order. */
  push(key: string, item: T): void {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = item;
      this.fix(i);
      return;
    }
    this.items.push(item);
    this.keys.push(key);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0];
    this.removeAt(0);
    return top;
  }

  /** Removes the item under `key`; returns it. */
  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const item = this.items[i];
    this.removeAt(i);
    return item;
  }

  /** All items in no particular order. */
  values(): T[] {
    return this.items.slice();
  }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    this.index.delete(this.keys[i]);
    if (i !== last) {
      this.items[i] = this.items[last];
      this.keys[i] = this.keys[last];
      this.index.set(this.keys[i], i);
    }
    this.items.pop();
    this.keys.pop();
    if (i < this.items.length) this.fix(i);
  }

  private fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i], this.items[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i0: number): boolean {
    let i = i0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let j = l;
      if (l + 1 < n && this.less(this.items[l + 1], this.items[l])) j = l + 1;
      if (!this.less(this.items[j], this.items[i])) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }

  private swap(a: number, b: number): void {
    const it = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = it;
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    this.index.set(this.keys[a], a);
    this.index.set(this.keys[b], b);
  }
}
