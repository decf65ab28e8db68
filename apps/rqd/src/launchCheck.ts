/**
 * Whether this host accepts one frame of a `frames:launch`: the launch must match the protocol
 * exactly (no unknown fields), name only known command tokens, keep its log inside the log root,
 * and ask for no more cores, memory or GPUs than the host has free. Every refusal says what to fix.
 */
import path from 'node:path';
import { describeFieldErrors, type FrameLaunch, fieldErrors, frameLaunchSchema } from '@farmhand/contracts';
import { COMMAND_TOKENS, unknownTokens } from './commandTokens';

export interface FreeResources {
  hostName: string;
  cores: number;
  freeCores: number;
  memoryMb: number;
  freeMemoryMb: number;
  gpus: number;
  busyGpus: ReadonlySet<number>;
}

export type LaunchCheck = { ok: true; launch: FrameLaunch; logFile: string } | { ok: false; error: string };

const strictLaunchSchema = frameLaunchSchema.strict();

export function checkLaunch(message: unknown, logRoot: string, free: FreeResources): LaunchCheck {
  const parsed = strictLaunchSchema.safeParse(message);
  if (!parsed.success) return refuse(`the launch message is not valid: ${describeFieldErrors(fieldErrors(parsed.error))}`);
  const launch = parsed.data;
  const unknown = unknownTokens(launch.command);
  if (unknown.length > 0) {
    const known = COMMAND_TOKENS.map((t) => `#${t}#`).join(' ');
    return refuse(
      `the command uses ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not tokens' : 'is not a token'}; the tokens are ${known}`,
    );
  }
  const logFile = resolveLogFile(logRoot, launch.logPath);
  if (!logFile)
    return refuse(
      `log path '${launch.logPath}' is outside the log root ${logRoot}; it must be relative, like <show>/<job>/<layer>/<frame>.<attempt>.log`,
    );
  const shortage = resourceShortage(launch, free);
  if (shortage) return refuse(shortage);
  return { ok: true, launch, logFile };
}

/** The absolute log file, or undefined when the path would leave the root. */
export function resolveLogFile(logRoot: string, logPath: string): string | undefined {
  if (path.isAbsolute(logPath) || logPath.includes('\0')) return undefined;
  const root = path.resolve(logRoot);
  const file = path.resolve(root, logPath);
  return file.startsWith(root + path.sep) ? file : undefined;
}

function resourceShortage(launch: FrameLaunch, free: FreeResources): string | undefined {
  const host = free.hostName;
  // Fractional cores add up with rounding error (20 × 0.1 is not 2): compare to a millionth.
  if (launch.cores > free.freeCores + 1e-6)
    return `the frame needs ${launch.cores} cores but host ${host} has ${round(free.freeCores)} free of ${free.cores}`;
  if (launch.memoryMb > free.freeMemoryMb)
    return `the frame needs ${launch.memoryMb} MB of memory but host ${host} has ${free.freeMemoryMb} MB free of ${free.memoryMb} MB`;
  for (const gpu of launch.gpus) {
    if (gpu >= free.gpus) return `the frame was booked GPU ${gpu} but host ${host} has ${free.gpus} GPU(s)`;
    if (free.busyGpus.has(gpu)) return `GPU ${gpu} of host ${host} is already booked by another frame`;
  }
  if (new Set(launch.gpus).size !== launch.gpus.length) return `the frame was booked the same GPU twice (${launch.gpus.join(',')})`;
  return undefined;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function refuse(error: string): LaunchCheck {
  return { ok: false, error: `launch refused: ${error}` };
}
