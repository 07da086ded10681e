/** A publish rate: `perSecond` on average, with bursts of up to `burst` at once. */
export interface PublishRate {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * A token bucket: it holds up to `burst` tokens, refills at `perSecond`, and each publish takes
 * one. Refilled lazily from the elapsed time when asked, so an idle bucket costs nothing.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: PublishRate,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = rate.burst;
    this.last = this.now();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
