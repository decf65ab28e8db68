/**
 * What this machine really has, read from the kernel: logical and physical cores, memory, swap,
 * NVIDIA GPUs (through `nvidia-smi` when it is installed), OS, and the changing figures a report
 * carries (load, available memory, free space of the temp dir).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';

export interface HostResources {
  cores: number;
  physicalCores: number;
  memoryMb: number;
  swapMb: number;
  gpus: number;
  /** Total memory of all the host's GPUs. */
  gpuMemoryMb: number;
  os: string;
}

export interface HostLoad {
  load: number;
  freeMemoryMb: number;
  freeTempMb: number;
}

export function detectHostResources(): HostResources {
  const gpus = detectGpus();
  return {
    cores: os.availableParallelism(),
    physicalCores: physicalCoreCount() ?? os.availableParallelism(),
    memoryMb: Math.floor(os.totalmem() / 1024 / 1024),
    swapMb: meminfoMb('SwapTotal') ?? 0,
    gpus: gpus.length,
    gpuMemoryMb: gpus.reduce((sum, mb) => sum + mb, 0),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function sampleHostLoad(): HostLoad {
  return {
    load: os.loadavg()[0] ?? 0,
    freeMemoryMb: meminfoMb('MemAvailable') ?? Math.floor(os.freemem() / 1024 / 1024),
    freeTempMb: freeSpaceMb(os.tmpdir()),
  };
}

export function freeSpaceMb(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return Math.floor((stats.bavail * stats.bsize) / 1024 / 1024);
  } catch {
    return 0;
  }
}

/** Memory of each NVIDIA GPU in MB; none when `nvidia-smi` is absent or fails. */
export function detectGpus(): number[] {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((mb) => Number.isFinite(mb) && mb > 0);
  } catch {
    return [];
  }
}

function physicalCoreCount(): number | undefined {
  try {
    const cores = new Set<string>();
    let physicalId = '0';
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [key, value] = line.split(':').map((s) => s.trim());
      if (key === 'physical id') physicalId = value ?? '0';
      if (key === 'core id') cores.add(`${physicalId}:${value}`);
    }
    return cores.size > 0 ? cores.size : undefined;
  } catch {
    return undefined;
  }
}

function meminfoMb(field: string): number | undefined {
  try {
    const match = readFileSync('/proc/meminfo', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Math.floor(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
