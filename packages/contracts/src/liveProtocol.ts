/**
 * The read-only pushes from the dispatcher to browsers, on the socket.io namespace `/live`.
 * Browsers join rooms; the dispatcher sends row deltas, never whole lists.
 */
import { z } from 'zod';
import type { FrameState, JobState } from './states';

export const LIVE_NAMESPACE = '/live';

export const liveRoom = {
  farm: () => 'farm',
  job: (jobId: string) => `job:${jobId}`,
  host: (hostId: string) => `host:${hostId}`,
  log: (frameId: number, attempt: number) => `log:${frameId}:${attempt}`,
  /** A user's notifications (the bell): pushes carry the unread count and the latest one. */
  user: (name: string) => `user:${name}`,
};

export const joinRoomSchema = z.object({ room: z.string().regex(/^(farm|job:[\w-]+|host:[\w-]+|log:\d+:\d+|user:[\w.@-]+)$/) });

export interface FrameDelta {
  id: number;
  jobId: string;
  layerId: string;
  state: FrameState;
  retries: number;
  attempt: number;
  exitStatus: number | null;
  hostName: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
}

export interface JobDelta {
  id: string;
  state: JobState;
  paused: boolean;
  priority: number;
  counts: FrameCounts;
}

export type FrameCounts = Record<FrameState, number>;

export interface HostDelta {
  id: string;
  name: string;
  state: string;
  lock: string;
  idleCores: number;
  cores: number;
  lastReportAt: string | null;
}

export const LIVE_EVENTS = {
  join: 'join',
  leave: 'leave',
  frames: 'frames',
  jobs: 'jobs',
  hosts: 'hosts',
  log: 'log',
  notifications: 'notifications',
} as const;

export interface LiveFrames {
  jobId: string;
  frames: FrameDelta[];
}
