/**
 * rqd's settings: the shared Farmhand settings from the environment (`loadSettings`), rqd's own
 * FARMHAND_RQD_* variables, and command-line flags, in rising order of precedence. Read and
 * validated once at start; a bad value stops rqd with a message naming it.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, loadSettings, type Settings } from '@farmhand/contracts';
import { z } from 'zod';
import type { HostResources } from './hostResources';

export interface RqdOptions {
  dispatcherUrl: string;
  /** The shared host token; rqd refuses to start without one. */
  token: string;
  hostName: string;
  allocation?: string;
  tags: string[];
  logRoot: string;
  /** Where undelivered frame events wait; one directory per host. */
  spoolDir: string;
  reportIntervalS: number;
  idleReportIntervalS: number;
  /** A frame is killed when its RSS passes this multiple of its booked memory. */
  memoryKillFactor: number;
  killGraceS: number;
  logCapBytes: number;
  sampleIntervalMs: number;
  logBatchMs: number;
  /** Run every frame as rqd's own user, even as root. */
  singleUser: boolean;
  ackTimeoutMs: number;
  /** Overrides of detected resources, e.g. to give the farm only part of a workstation. */
  resources?: Partial<HostResources>;
  logLevel: Settings['logLevel'];
  nimby?: NimbyOptions;
}

export interface NimbyOptions {
  /** Load (1-minute average) from processes other than frames above which the desktop is in use. */
  loadThreshold: number;
  /** Seconds without activity before a NIMBY-locked host unlocks. */
  idleS: number;
  /** Seconds between checks. */
  checkIntervalS: number;
}

export interface SimulationOptions {
  hosts: number;
  cores: number;
  memoryMb: number;
  seed: number;
  runtimeS: { mean: number; spread: number };
  peakRssFraction: { mean: number; spread: number };
  failureRate: number;
  oomRate: number;
}

const rqdEnvSchema = z.object({
  FARMHAND_RQD_NAME: z.string().optional(),
  FARMHAND_RQD_ALLOCATION: z.string().optional(),
  FARMHAND_RQD_TAGS: z.string().optional(),
  FARMHAND_RQD_SPOOL_DIR: z.string().optional(),
  FARMHAND_RQD_SINGLE_USER: z.enum(['0', '1', 'true', 'false']).optional(),
  FARMHAND_RQD_MEMORY_KILL_FACTOR: z.coerce.number().positive().default(2),
  FARMHAND_RQD_KILL_GRACE_S: z.coerce.number().min(0).default(10),
  FARMHAND_RQD_LOG_CAP_MB: z.coerce.number().positive().default(1024),
});

const FLAGS = {
  dispatcher: { type: 'string' },
  token: { type: 'string' },
  name: { type: 'string' },
  allocation: { type: 'string' },
  tags: { type: 'string' },
  'log-root': { type: 'string' },
  'spool-dir': { type: 'string' },
  'report-interval': { type: 'string' },
  'memory-kill-factor': { type: 'string' },
  'kill-grace': { type: 'string' },
  'log-cap-mb': { type: 'string' },
  'log-batch-ms': { type: 'string' },
  'single-user': { type: 'boolean' },
  cores: { type: 'string' },
  'memory-mb': { type: 'string' },
  nimby: { type: 'boolean' },
  'nimby-load': { type: 'string' },
  'nimby-idle': { type: 'string' },
  simulate: { type: 'string' },
  seed: { type: 'string' },
  'sim-runtime': { type: 'string' },
  'sim-failure-rate': { type: 'string' },
  'sim-oom-rate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: rqd [options]
  --dispatcher URL         the dispatcher (FARMHAND_DISPATCHER_URL; default http://127.0.0.1:8700)
  --token T                the shared host token (FARMHAND_HOST_TOKEN; required)
  --name NAME              host name (FARMHAND_RQD_NAME; default the machine's)
  --allocation NAME        allocation to join (FARMHAND_RQD_ALLOCATION)
  --tags a,b               host tags (FARMHAND_RQD_TAGS)
  --log-root DIR           frame logs (FARMHAND_LOG_ROOT)
  --spool-dir DIR          undelivered events (FARMHAND_RQD_SPOOL_DIR; default <data>/rqd-spool)
  --report-interval S      seconds between reports (FARMHAND_REPORT_INTERVAL_S; default 3)
  --memory-kill-factor F   kill a frame past F × its booked memory (default 2)
  --kill-grace S           seconds between SIGTERM and SIGKILL (default 10)
  --log-cap-mb MB          kill a frame whose log passes this size (default 1024)
  --log-batch-ms MS        gather a frame's log lines this long per live chunk (default 50)
  --single-user            run every frame as rqd's own user, even as root
  --cores N --memory-mb MB offer only this much of the machine to the farm
  --nimby                  desktop mode: lock the host while someone uses it
  --nimby-load L           non-farm load that counts as use (default 1.0)
  --nimby-idle S           idle seconds before unlocking (default 300)
  --simulate N             run N simulated hosts instead (with --cores, --memory-mb,
                           --seed, --sim-runtime mean[:spread], --sim-failure-rate, --sim-oom-rate)`;

export interface ParsedCommandLine {
  help: boolean;
  options: RqdOptions;
  simulation?: SimulationOptions;
}

export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): ParsedCommandLine {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new AppError('VALIDATION', `${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const settings = loadSettings(env);
  const rqdEnv = rqdEnvSchema.safeParse(env);
  if (!rqdEnv.success) {
    const problems = rqdEnv.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('VALIDATION', `rqd settings are not valid: ${problems}`);
  }
  const e = rqdEnv.data;
  const hostName = values.name ?? e.FARMHAND_RQD_NAME ?? os.hostname();
  const token = values.token ?? settings.hostToken ?? '';
  const resources: Partial<HostResources> = {};
  if (values.cores) resources.cores = positive('--cores', values.cores);
  if (values['memory-mb']) resources.memoryMb = positive('--memory-mb', values['memory-mb']);
  const reportIntervalS = values['report-interval'] ? positive('--report-interval', values['report-interval']) : settings.reportIntervalS;
  const options: RqdOptions = {
    dispatcherUrl: values.dispatcher ?? settings.dispatcherUrl,
    token,
    hostName,
    allocation: values.allocation ?? e.FARMHAND_RQD_ALLOCATION,
    tags: splitTags(values.tags ?? e.FARMHAND_RQD_TAGS),
    logRoot: path.resolve(values['log-root'] ?? settings.logRoot),
    spoolDir: path.resolve(values['spool-dir'] ?? e.FARMHAND_RQD_SPOOL_DIR ?? path.join(settings.dataDir, 'rqd-spool')),
    reportIntervalS,
    idleReportIntervalS: Math.max(reportIntervalS, Math.min(30, reportIntervalS * 5)),
    memoryKillFactor: values['memory-kill-factor']
      ? positive('--memory-kill-factor', values['memory-kill-factor'])
      : e.FARMHAND_RQD_MEMORY_KILL_FACTOR,
    killGraceS: values['kill-grace'] ? nonNegative('--kill-grace', values['kill-grace']) : e.FARMHAND_RQD_KILL_GRACE_S,
    logCapBytes: (values['log-cap-mb'] ? positive('--log-cap-mb', values['log-cap-mb']) : e.FARMHAND_RQD_LOG_CAP_MB) * 1024 * 1024,
    sampleIntervalMs: 1000,
    logBatchMs: values['log-batch-ms'] ? positive('--log-batch-ms', values['log-batch-ms']) : 50,
    singleUser: values['single-user'] ?? (e.FARMHAND_RQD_SINGLE_USER === '1' || e.FARMHAND_RQD_SINGLE_USER === 'true'),
    ackTimeoutMs: 15_000,
    resources,
    logLevel: settings.logLevel,
    nimby: values.nimby
      ? {
          loadThreshold: values['nimby-load'] ? nonNegative('--nimby-load', values['nimby-load']) : 1,
          idleS: values['nimby-idle'] ? nonNegative('--nimby-idle', values['nimby-idle']) : 300,
          checkIntervalS: 5,
        }
      : undefined,
  };
  const simulation = values.simulate ? simulationOptions(values, resources) : undefined;
  return { help: values.help ?? false, options, simulation };
}

function simulationOptions(values: Record<string, string | boolean | undefined>, resources: Partial<HostResources>): SimulationOptions {
  const [mean, spread] = String(values['sim-runtime'] ?? '20:10').split(':');
  return {
    hosts: positive('--simulate', String(values.simulate)),
    cores: resources.cores ?? 16,
    memoryMb: resources.memoryMb ?? 64 * 1024,
    seed: values.seed ? Number(values.seed) : 1,
    runtimeS: { mean: positive('--sim-runtime', mean ?? '20'), spread: nonNegative('--sim-runtime', spread ?? '0') },
    peakRssFraction: { mean: 0.6, spread: 0.3 },
    failureRate: fraction('--sim-failure-rate', String(values['sim-failure-rate'] ?? '0.02')),
    oomRate: fraction('--sim-oom-rate', String(values['sim-oom-rate'] ?? '0.01')),
  };
}

function splitTags(tags: string | undefined): string[] {
  return (tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('VALIDATION', `${flag} must be a number above 0, not '${value}'`);
  return n;
}

function nonNegative(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new AppError('VALIDATION', `${flag} must be a number of 0 or more, not '${value}'`);
  return n;
}

function fraction(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new AppError('VALIDATION', `${flag} must be between 0 and 1, not '${value}'`);
  return n;
}
