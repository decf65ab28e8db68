/**
 * The environment a frame runs with: rqd's own, minus its secrets, plus the layer's variables,
 * the FARMHAND_* variables describing the frame and its booking, and CUDA_VISIBLE_DEVICES for
 * the GPUs booked (empty when none, so a renderer cannot wander onto another frame's GPU).
 */
import path from 'node:path';
import { type FrameLaunch, loadSettings } from '@farmhand/contracts';
import type { FrameUser } from './frameUser';

/** Variables of rqd's environment a frame must never see: the host token lets anyone act as a host. */
const PRIVATE_VARIABLES = ['FARMHAND_HOST_TOKEN'];

/** The variables this frame adds to the inherited environment; also what its log header lists. */
export function frameVariables(launch: FrameLaunch, logFile: string, user: FrameUser): Record<string, string> {
  return {
    ...launch.env,
    FARMHAND_JOB: launch.jobName,
    FARMHAND_JOB_ID: launch.jobId,
    FARMHAND_LAYER: launch.layerName,
    FARMHAND_FRAME: String(launch.frames[0]),
    FARMHAND_FRAME_ID: String(launch.frameId),
    FARMHAND_ATTEMPT: String(launch.attempt),
    FARMHAND_SHOW: launch.show,
    FARMHAND_SHOT: launch.shot,
    FARMHAND_USER: launch.user,
    FARMHAND_LOG: logFile,
    FARMHAND_THREADS: String(Math.max(1, Math.floor(launch.cores))),
    FARMHAND_MEMORY_MB: String(launch.memoryMb),
    FARMHAND_GPUS: launch.gpus.join(','),
    CUDA_VISIBLE_DEVICES: launch.gpus.join(','),
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
  };
}

export function frameEnvironment(base: NodeJS.ProcessEnv, variables: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !PRIVATE_VARIABLES.includes(key)) env[key] = value;
  // rqd's own tools (farmhand-preview, the command of preview layers) come first on the PATH.
  const PATH = [TOOLS_DIR, env.PATH].filter(Boolean).join(path.delimiter);
  // Where render outputs and previews live (layers' output paths are relative to it).
  const FARMHAND_MEDIA_ROOT = loadSettings(base).mediaRoot;
  return { ...env, PATH, FARMHAND_MEDIA_ROOT, ...variables };
}

/** apps/rqd/bin: tools every frame can run. */
export const TOOLS_DIR = path.resolve(import.meta.dirname, '../bin');
