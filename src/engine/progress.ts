/**
 * A progress bar with rate and ETA for long loops. On a terminal it redraws one line; elsewhere
 * (CI logs, notebooks) it prints a line at most every `everySeconds`, plus the last one.
 */
export interface ProgressOptions {
  label: string;
  total: number;
  /** Starting count (for resumed runs). */
  start?: number;
  everySeconds?: number;
  stream?: NodeJS.WriteStream;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export class Progress {
  private readonly t0 = Date.now();
  private readonly start: number;
  private lastPrint = 0;
  private readonly stream: NodeJS.WriteStream;

  constructor(private readonly opts: ProgressOptions) {
    this.start = opts.start ?? 0;
    this.stream = opts.stream ?? process.stderr;
  }

  /** The line for `done` items, e.g. "pretrain good-code [#####-----] 50/100 50% · 2.1 s/it · ETA 1m45s · loss 0.91". */
  line(done: number, extra = ''): string {
    const { total, label } = this.opts;
    const frac = total > 0 ? done / total : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - this.t0) / 1000;
    const per = done > this.start ? elapsed / (done - this.start) : NaN;
    const eta = per * (total - done);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${(frac * 100).toFixed(0)}% · ${Number.isFinite(per) ? per.toFixed(2) : '?'} s/it · ETA ${formatDuration(eta)}${extra ? ' · ' + extra : ''}`;
  }

  update(done: number, extra = ''): void {
    const now = Date.now();
    const last = done >= this.opts.total;
    if (this.stream.isTTY) {
      this.stream.write(`\r${this.line(done, extra)}\x1b[K${last ? '\n' : ''}`);
    } else if (last || now - this.lastPrint >= (this.opts.everySeconds ?? 30) * 1000) {
      this.stream.write(this.line(done, extra) + '\n');
      this.lastPrint = now;
    }
  }
}
