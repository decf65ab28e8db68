/**
 * The rows the dispatcher writes, as they come from memory: which columns of each table, and
 * how an in-memory host, job, layer, frame, proc or attempt becomes a row. Only the columns
 * the dispatcher owns are written, so a row updated here never loses what others set.
 */
import type { MemAttempt, MemFrame, MemHost, MemJob, MemLayer, MemProc } from '../farm/model';
import type { Dialect, Row, Statement, Table } from './sql';

export const HOST: Table = {
  name: 'Host',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['name', 'text'],
    ['allocationId', 'text'],
    ['cores', 'int'],
    ['physicalCores', 'int'],
    ['memoryMb', 'int'],
    ['swapMb', 'int'],
    ['gpus', 'int'],
    ['gpuMemoryMb', 'int'],
    ['tags', 'text'],
    ['state', { enum: 'HostState' }],
    ['lock', { enum: 'HostLock' }],
    ['os', 'text'],
    ['load', 'float'],
    ['freeMemoryMb', 'int'],
    ['freeTempMb', 'int'],
    ['bootedAt', 'time'],
    ['lastReportAt', 'time'],
    ['createdAt', 'time'],
  ],
};

export function hostRow(h: MemHost, now: number): Row {
  const d = h.details;
  return [
    h.id,
    h.name,
    h.allocationId,
    h.cores,
    d.physicalCores,
    h.memoryMb,
    d.swapMb,
    h.gpus,
    h.gpuMemoryMb,
    h.tags.join(' '),
    h.state,
    h.lock,
    d.os,
    d.load,
    Math.round(d.freeMemoryMb),
    Math.round(d.freeTempMb),
    d.bootedAt,
    h.lastReportAt,
    now,
  ];
}

export const JOB: Table = {
  name: 'Job',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['state', { enum: 'JobState' }],
    ['paused', 'bool'],
    ['priority', 'int'],
    ['maxRetries', 'int'],
    ['startedAt', 'time'],
    ['stoppedAt', 'time'],
    ['coreSeconds', 'float'],
  ],
};

export function jobRow(j: MemJob): Row {
  return [j.id, j.state, j.paused, j.priority, j.maxRetries, j.startedAt, j.stoppedAt, j.coreSeconds];
}

export const LAYER: Table = {
  name: 'Layer',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['minCores', 'float'],
    ['maxCores', 'float'],
    ['memoryMb', 'int'],
  ],
};

export function layerRow(l: MemLayer): Row {
  return [l.id, l.minCores, l.maxCores, l.memoryMb];
}

/** The frame columns that change as a frame runs (the rest are written once, on submit). */
export const FRAME: Table = {
  name: 'Frame',
  keyColumns: 1,
  columns: [
    ['id', 'int'],
    ['state', { enum: 'FrameState' }],
    ['retries', 'int'],
    ['attempt', 'int'],
    ['exitStatus', 'int'],
    ['exitSignal', 'text'],
    ['hostId', 'text'],
    ['startedAt', 'time'],
    ['stoppedAt', 'time'],
    ['maxRssMb', 'float'],
    ['cpuSeconds', 'float'],
  ],
};

export function frameRow(f: MemFrame): Row {
  return [f.id, f.state, f.retries, f.attempt, f.exitStatus, f.exitSignal, f.hostId, f.startedAt, f.stoppedAt, f.maxRssMb, f.cpuSeconds];
}

/** A new frame row, as a submission creates it (booked already when it was booked with the submission). */
export const NEW_FRAME: Table = {
  name: 'Frame',
  keyColumns: 1,
  columns: [
    ['id', 'int'],
    ['jobId', 'text'],
    ['layerId', 'text'],
    ['number', 'int'],
    ['frames', 'text'],
    ['dispatchOrder', 'int'],
    ['state', { enum: 'FrameState' }],
    ['attempt', 'int'],
    ['hostId', 'text'],
  ],
};

export const PROC: Table = {
  name: 'Proc',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['hostId', 'text'],
    ['frameId', 'int'],
    ['jobId', 'text'],
    ['attempt', 'int'],
    ['cores', 'float'],
    ['memoryMb', 'int'],
    ['gpus', 'int'],
    ['gpuMemoryMb', 'int'],
    ['bookedAt', 'time'],
    ['startedAt', 'time'],
  ],
};

export function procRow(p: MemProc): Row {
  return [p.id, p.hostId, p.frameId, p.jobId, p.attempt, p.cores, p.memoryMb, p.gpus.length, p.gpuMemoryMb, p.bookedAt, p.startedAt];
}

export const ATTEMPT: Table = {
  name: 'FrameAttempt',
  keyColumns: 2,
  columns: [
    ['frameId', 'int'],
    ['attempt', 'int'],
    ['hostId', 'text'],
    ['hostName', 'text'],
    ['cores', 'float'],
    ['startedAt', 'time'],
    ['stoppedAt', 'time'],
    ['exitStatus', 'int'],
    ['exitSignal', 'text'],
    ['reason', 'text'],
    ['maxRssMb', 'float'],
    ['cpuSeconds', 'float'],
    ['logPath', 'text'],
  ],
};

export function attemptRow(a: MemAttempt): Row {
  return [
    a.frameId,
    a.attempt,
    a.hostId,
    a.hostName,
    a.cores,
    a.startedAt,
    a.stoppedAt,
    a.exitStatus,
    a.exitSignal,
    a.reason,
    a.maxRssMb,
    a.cpuSeconds,
    a.logPath,
  ];
}

/**
 * Procs put and attempts written or updated. A frame's proc row is replaced by its next
 * attempt's (the frame is the proc's key), so no commit deletes a key another part inserts.
 * With `replace: false` they are plain inserts, refused on a conflict (rows that must be new).
 */
export function procAndAttemptStatements(
  d: Dialect,
  procs: readonly MemProc[],
  attempts: readonly MemAttempt[],
  { replace } = { replace: true },
): Statement[] {
  return [
    ...(procs.length > 0 ? d.insert(PROC, procs.map(procRow), replace ? { conflict: ['frameId'], mode: 'replace' } : undefined) : []),
    ...(attempts.length > 0
      ? d.insert(ATTEMPT, attempts.map(attemptRow), replace ? { conflict: ['frameId', 'attempt'], mode: 'replace' } : undefined)
      : []),
  ];
}

export const SHOW_USAGE: Table = {
  name: 'ShowUsage',
  keyColumns: 2,
  columns: [
    ['showId', 'text'],
    ['day', 'text'],
    ['coreSeconds', 'float'],
    ['frames', 'int'],
  ],
};

export const DEPEND_SATISFIED: Table = {
  name: 'Depend',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['active', 'bool'],
    ['satisfiedAt', 'time'],
  ],
};

/** Rows a submission creates (columns with a default are written too: SQLite's CURRENT_TIMESTAMP text sorts wrongly). */
export const NEW_JOB: Table = {
  name: 'Job',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['name', 'text'],
    ['showId', 'text'],
    ['shot', 'text'],
    ['user', 'text'],
    ['priority', 'int'],
    ['paused', 'bool'],
    ['maxRetries', 'int'],
    ['state', { enum: 'JobState' }],
    ['comment', 'text'],
    ['spec', 'text'],
    ['submittedAt', 'time'],
    ['coreSeconds', 'float'],
  ],
};

export const NEW_LAYER: Table = {
  name: 'Layer',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['jobId', 'text'],
    ['name', 'text'],
    ['index', 'int'],
    ['type', { enum: 'LayerType' }],
    ['command', 'text'],
    ['range', 'text'],
    ['chunk', 'int'],
    ['minCores', 'float'],
    ['maxCores', 'float'],
    ['threadable', 'bool'],
    ['memoryMb', 'int'],
    ['gpus', 'int'],
    ['gpuMemoryMb', 'int'],
    ['tags', 'text'],
    ['timeoutMinutes', 'float'],
    ['env', 'text'],
    ['outputPath', 'text'],
  ],
};

export const NEW_LAYER_LIMIT: Table = {
  name: 'LayerLimit',
  keyColumns: 2,
  columns: [
    ['layerId', 'text'],
    ['limitId', 'text'],
  ],
};

export const LIMIT: Table = {
  name: 'Limit',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['name', 'text'],
    ['max', 'int'],
    ['createdAt', 'time'],
  ],
};

export const NEW_DEPEND: Table = {
  name: 'Depend',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['type', { enum: 'DependType' }],
    ['dependerJobId', 'text'],
    ['dependerLayerId', 'text'],
    ['dependerFrameId', 'int'],
    ['onJobId', 'text'],
    ['onLayerId', 'text'],
    ['onFrameId', 'int'],
    ['active', 'bool'],
    ['createdAt', 'time'],
  ],
};

/** The outcome of a command, recorded on its row in the inbox. */
export const COMMAND_OUTCOME: Table = {
  name: 'Command',
  keyColumns: 1,
  columns: [
    ['id', 'int'],
    ['status', { enum: 'CommandStatus' }],
    ['outcome', 'text'],
    ['appliedAt', 'time'],
  ],
};

export const LIMIT_MAX: Table = {
  name: 'Limit',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['max', 'int'],
  ],
};

export const SUBSCRIPTION: Table = {
  name: 'Subscription',
  keyColumns: 1,
  columns: [
    ['id', 'text'],
    ['showId', 'text'],
    ['allocationId', 'text'],
    ['size', 'int'],
    ['burst', 'int'],
    ['createdAt', 'time'],
  ],
};
