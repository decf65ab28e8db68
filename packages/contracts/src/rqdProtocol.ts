/**
 * The protocol between the dispatcher and rqd, on the socket.io namespace `/rqd`.
 * Every message is validated on arrival with these schemas; a malformed one is answered with
 * an error and logged, never applied.
 */
import { z } from 'zod';

export const RQD_NAMESPACE = '/rqd';

/** socket.io handshake `auth` of an rqd connection. */
export const rqdAuthSchema = z.object({
  token: z.string().min(1),
  hostName: z.string().min(1).max(255),
});
export type RqdAuth = z.infer<typeof rqdAuthSchema>;

/** A frame the host is running, as rqd knows it (sent on register, so a restarted dispatcher can adopt it). */
export const runningFrameSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  pid: z.number().int().optional(),
  rssMb: z.number().min(0).default(0),
  maxRssMb: z.number().min(0).default(0),
  cpuSeconds: z.number().min(0).default(0),
});
export type RunningFrame = z.infer<typeof runningFrameSchema>;

export const hostRegisterSchema = z.object({
  name: z.string().min(1).max(255),
  allocation: z.string().min(1).optional(),
  cores: z.number().int().min(1),
  physicalCores: z.number().int().min(1).optional(),
  memoryMb: z.number().int().min(1),
  swapMb: z.number().int().min(0).default(0),
  gpus: z.number().int().min(0).default(0),
  gpuMemoryMb: z.number().int().min(0).default(0),
  tags: z.array(z.string()).default([]),
  os: z.string().default(''),
  bootedAt: z.number().int(),
  freeTempMb: z.number().min(0).default(0),
  load: z.number().min(0).default(0),
  running: z.array(runningFrameSchema).default([]),
});
export type HostRegister = z.infer<typeof hostRegisterSchema>;

export const hostReportSchema = z.object({
  load: z.number().min(0),
  freeMemoryMb: z.number().min(0),
  freeTempMb: z.number().min(0).default(0),
  running: z.array(runningFrameSchema),
  /** Appended for desktop hosts: true while someone uses the machine (NIMBY); the dispatcher books nothing on it then. */
  nimbyLocked: z.boolean().optional(),
});
export type HostReport = z.infer<typeof hostReportSchema>;

export const frameLaunchSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  jobId: z.string(),
  jobName: z.string(),
  layerName: z.string(),
  show: z.string(),
  shot: z.string(),
  user: z.string(),
  command: z.string().min(1),
  /** Frames of the chunk this proc renders, in order; the first is the frame's number. */
  frames: z.array(z.number().int()).min(1),
  cores: z.number().positive(),
  memoryMb: z.number().int().min(1),
  gpus: z.array(z.number().int().min(0)).default([]),
  env: z.record(z.string(), z.string()).default({}),
  timeoutMinutes: z.number().positive().optional(),
  /** Relative to rqd's log root: `<show>/<job>/<layer>/<frame>.<attempt>.log`. */
  logPath: z.string().min(1),
});
export type FrameLaunch = z.infer<typeof frameLaunchSchema>;

export const frameStartedSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  pid: z.number().int(),
  startedAt: z.number().int(),
  logPath: z.string(),
  /**
   * rqd's delivery number (appended for rqd's disk spool): increases for every started, exited
   * and log event a host sends, across reconnects and rqd restarts. rqd sends them in order and
   * resends from the first unacknowledged one after a timeout or reconnect, so the dispatcher
   * applies an event only when its seq is above the last one it applied for that host, and acks
   * the duplicates with ok.
   */
  seq: z.number().int().min(0).optional(),
});
export type FrameStarted = z.infer<typeof frameStartedSchema>;

export const EXIT_REASONS = ['EXITED', 'SIGNALED', 'MEMORY_KILL', 'TIMEOUT', 'LOG_CAP', 'KILLED', 'NIMBY', 'LAUNCH_FAILED'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const frameExitedSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  exitStatus: z.number().int(),
  exitSignal: z.string().nullable().default(null),
  reason: z.enum(EXIT_REASONS).default('EXITED'),
  message: z.string().optional(),
  startedAt: z.number().int(),
  stoppedAt: z.number().int(),
  maxRssMb: z.number().min(0).default(0),
  cpuSeconds: z.number().min(0).default(0),
  /**
   * rqd's delivery number (appended for rqd's disk spool): increases for every started, exited
   * and log event a host sends, across reconnects and rqd restarts. rqd sends them in order and
   * resends from the first unacknowledged one after a timeout or reconnect, so the dispatcher
   * applies an event only when its seq is above the last one it applied for that host, and acks
   * the duplicates with ok.
   */
  seq: z.number().int().min(0).optional(),
});
export type FrameExited = z.infer<typeof frameExitedSchema>;

export const logChunkSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  /** Byte offset of `data` in the attempt's log file, so a viewer can join file and stream with no gap or repeat. */
  offset: z.number().int().min(0),
  data: z.string(),
  /**
   * rqd's delivery number (appended for rqd's disk spool): increases for every started, exited
   * and log event a host sends, across reconnects and rqd restarts. rqd sends them in order and
   * resends from the first unacknowledged one after a timeout or reconnect, so the dispatcher
   * applies an event only when its seq is above the last one it applied for that host, and acks
   * the duplicates with ok.
   */
  seq: z.number().int().min(0).optional(),
});
export type LogChunk = z.infer<typeof logChunkSchema>;

export const frameKillSchema = z.object({
  frameId: z.number().int(),
  attempt: z.number().int().min(1),
  reason: z.string(),
});
export type FrameKill = z.infer<typeof frameKillSchema>;

/** Every acknowledgement: ok, or the reason it was refused. */
export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: string };

/** Event names, rqd → dispatcher. */
export const RQD_EVENTS = {
  register: 'host:register',
  report: 'host:report',
  started: 'frame:started',
  exited: 'frame:exited',
  log: 'frame:log',
} as const;

/**
 * `frames:launch` carries the frames booked on one host by one commit (a pass over a free farm
 * books a host's every core at once), as an array of `FrameLaunch`; the host answers with one
 * ack per frame, in the same order (`LaunchAnswer`), or refuses a message that is not an array.
 */
export type LaunchAnswer = Ack<{ results: Ack[] }>;

/** Event names, dispatcher → rqd. */
export const DISPATCHER_EVENTS = {
  launch: 'frames:launch',
  kill: 'frame:kill',
} as const;
