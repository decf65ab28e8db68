/**
 * Kernel constants needed to read /proc: the page size (RSS is counted in pages) and the clock
 * tick rate (CPU times are counted in ticks). Asked of `getconf` once; Linux's usual values
 * when it is missing.
 */
import { execFileSync } from 'node:child_process';

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

export const PAGE_SIZE_BYTES = getconf('PAGESIZE', 4096);
export const TICKS_PER_SECOND = getconf('CLK_TCK', 100);
