/**
 * Builders for the tests: a launch message with sensible defaults, and rqd options pointing at
 * fresh temp directories with short intervals so kills and samples happen quickly.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameLaunch } from '@farmhand/contracts';
import type { RqdOptions } from '../../src/options';

let nextFrameId = 1;

export function launchMessage(overrides: Partial<FrameLaunch> = {}): FrameLaunch {
  const frameId = overrides.frameId ?? nextFrameId++;
  const attempt = overrides.attempt ?? 1;
  const frame = overrides.frames?.[0] ?? frameId;
  return {
    frameId,
    attempt,
    jobId: 'job-1',
    jobName: 'sh010_lighting',
    layerName: 'render',
    show: 'bunny',
    shot: 'sh010',
    user: 'root',
    command: 'echo hello',
    frames: [frame],
    cores: 1,
    memoryMb: 256,
    gpus: [],
    env: {},
    logPath: `bunny/sh010_lighting/render/${frame}.${attempt}.log`,
    ...overrides,
  };
}

export function rqdOptions(dispatcherUrl: string, token: string, overrides: Partial<RqdOptions> = {}): RqdOptions {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rqd-test-'));
  return {
    dispatcherUrl,
    token,
    hostName: `host-${path.basename(dir)}`,
    tags: ['test'],
    logRoot: path.join(dir, 'logs'),
    spoolDir: path.join(dir, 'spool'),
    reportIntervalS: 0.5,
    idleReportIntervalS: 1,
    memoryKillFactor: 2,
    killGraceS: 1,
    logCapBytes: 1024 * 1024 * 1024,
    sampleIntervalMs: 200,
    logBatchMs: 50,
    singleUser: false,
    ackTimeoutMs: 5000,
    resources: { cores: 2, memoryMb: 4096 },
    logLevel: 'silent',
    ...overrides,
  };
}
