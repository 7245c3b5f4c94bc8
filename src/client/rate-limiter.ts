/**
 * A token bucket: `qps` tokens a second, at most `burst` saved up. `wait()` resolves when a token
 * is taken; callers are served in order. With qps <= 0 every wait resolves at once.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly qps: number, private readonly burst: number) {
    this.tokens = burst;
  }

  /** Takes one token, waiting as long as the rate demands. */
  wait(): Promise<void> {
    if (this.qps <= 0) return Promise.resolve();
    const turn = this.tail.then(() => this.take());
    this.tail = turn;
    return turn;
  }

  private async take(): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return;
    }
    const waitMs = ((1 - this.tokens) / this.qps) * 1000;
    await new Promise((r) => setTimeout(r, waitMs));
    this.last = Date.now();
    this.tokens = 0;
  }
}
