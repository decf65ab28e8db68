/**
 * What the dispatcher benchmark reads: a process's CPU time and memory from /proc, and the
 * dispatcher's Prometheus text (counters, and quantiles of a histogram by interpolating within
 * its buckets, as Prometheus's histogram_quantile does).
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  cpuSeconds: number;
  rssMb: number;
  peakRssMb: number;
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export type Metrics = Map<string, number>;

/** Parses Prometheus text into `name{labels}` → value. */
export function parseMetrics(text: string): Metrics {
  const out: Metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

export async function scrape(url: string): Promise<Metrics> {
  const res = await fetch(`${url}/metrics`);
  return parseMetrics(await res.text());
}

export function counter(m: Metrics, name: string): number {
  return m.get(name) ?? 0;
}

/**
 * Cumulative bucket counts of a histogram, `le` ascending, summed over its other labels unless
 * `label` picks one (e.g. 'cause="freed"'); the difference of two scrapes when `before` is given.
 */
export function buckets(m: Metrics, name: string, before?: Metrics, label?: string): { le: number; count: number }[] {
  const byLe = new Map<number, number>();
  for (const [key, value] of m) {
    if (!key.startsWith(`${name}_bucket{`)) continue;
    if (label && !key.includes(label)) continue;
    const le = /le="([^"]+)"/.exec(key)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + value - (before?.get(key) ?? 0));
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** The q-quantile (0..1), interpolated linearly within its bucket. */
export function quantile(hist: { le: number; count: number }[], q: number): number {
  const total = hist.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of hist) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** How many observations were at most `le` (a bucket's bound; +Infinity for all of them). */
export function countAtMost(hist: { le: number; count: number }[], le: number): number {
  const bucket = hist.find((b) => b.le === le);
  if (!bucket) throw new Error(`the histogram has no bucket at ${le}`);
  return bucket.count;
}
