/**
 * Wall-clock seconds per named phase, summed over calls: the profile `bench:grpo` prints (where a
 * GRPO step's time goes) without changing what the step computes.
 */
export class PhaseTimes {
  readonly seconds: Record<string, number> = {};
  readonly counts: Record<string, number> = {};

  add(name: string, s: number, count = 1): void {
    this.seconds[name] = (this.seconds[name] ?? 0) + s;
    this.counts[name] = (this.counts[name] ?? 0) + count;
  }

  /** Runs a synchronous `fn` and adds its wall time to `name`. */
  timeSync<T>(name: string, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.add(name, (performance.now() - t0) / 1000);
    }
  }

  /** Runs `fn` and adds its wall time to `name`. */
  async time<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, (performance.now() - t0) / 1000);
    }
  }
}
