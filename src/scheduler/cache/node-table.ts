/**
 * The numbers the filter and score loops read for every node, kept row-major in one
 * Float64Array: eight doubles — one 64-byte cache line — per node. Reading them through
 * NodeInfo's Resource objects would chase a pointer per value (memory in bytes does not fit
 * V8's small integers, so it lives in a separate heap number), which is what made the loops
 * slow once the heap filled with API objects.
 */
export const ALLOC_CPU = 0;
export const ALLOC_MEMORY = 1;
export const ALLOC_EPHEMERAL = 2;
export const REQ_CPU = 3;
export const REQ_MEMORY = 4;
export const REQ_EPHEMERAL = 5;
export const NON_ZERO_CPU = 6;
export const NON_ZERO_MEMORY = 7;
/** Doubles per row. */
export const STRIDE = 8;

/** Rows of node numbers, handed out as slots and recycled. */
export class NodeTable {
  data: Float64Array;
  /** Each slot's NodeInfo generation (unique across the process, so a reused slot never matches). */
  generations: Float64Array;
  private readonly free: number[] = [];
  private next = 0;

  constructor(initialRows = 256) {
    this.data = new Float64Array(Math.max(1, initialRows) * STRIDE);
    this.generations = new Float64Array(Math.max(1, initialRows));
  }

  /** Number of slots handed out so far (an upper bound of slot numbers). */
  get capacity(): number {
    return this.generations.length;
  }

  /** A zeroed row. */
  allocate(): number {
    const slot = this.free.pop() ?? this.next++;
    if ((slot + 1) * STRIDE > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, (slot + 1) * STRIDE));
      grown.set(this.data);
      this.data = grown;
      const gens = new Float64Array(grown.length / STRIDE);
      gens.set(this.generations);
      this.generations = gens;
    }
    this.data.fill(0, slot * STRIDE, (slot + 1) * STRIDE);
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }
}
