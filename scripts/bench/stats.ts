/** Small numeric and memory functions of the benchmark. */
import * as fs from 'node:fs';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Peak resident set size (VmHWM) of a process in MB (2^20 bytes), from /proc; undefined where /proc is missing. */
export function peakRssMB(pid: number | 'self'): number | undefined {
  return procStatusMB(pid, 'VmHWM');
}

/** Current resident set size (VmRSS) of a process in MB, from /proc. */
export function rssMB(pid: number | 'self'): number | undefined {
  return procStatusMB(pid, 'VmRSS');
}

function procStatusMB(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** This process's peak RSS in MB (from /proc, else from the resource usage counters). */
export function ownPeakRssMB(): number {
  return peakRssMB('self') ?? process.resourceUsage().maxRSS / 1024;
}

/** Full garbage collection when node runs with --expose-gc. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  return true;
}

export function heapUsedMB(): number {
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

export function formatMs(value: number): string {
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

/** Decimal megabytes (10^6 bytes), as the workspace generator reports sizes. */
export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Throughput in decimal megabytes per second. */
export function formatRate(bytes: number, ms: number): string {
  return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}
