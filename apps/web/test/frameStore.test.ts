import type { FrameDelta, FrameState } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { FrameStore } from '../src/client/frameStore';
import { jobEta } from '../src/components/job/JobFigures';
import type { FrameRow } from '../src/server/services/jobs';

function frame(id: number, state: FrameState, layerId = 'render'): FrameRow {
  return {
    id,
    jobId: 'job1',
    layerId,
    layerName: layerId,
    number: id,
    frames: String(id),
    state,
    retries: 0,
    attempt: 0,
    exitStatus: null,
    hostName: null,
    startedAt: null,
    stoppedAt: null,
    maxRssMb: 0,
    cpuSeconds: 0,
  };
}

function delta(id: number, state: FrameState, extra: Partial<FrameDelta> = {}): FrameDelta {
  return {
    id,
    jobId: 'job1',
    layerId: 'render',
    state,
    retries: 0,
    attempt: 1,
    exitStatus: null,
    hostName: null,
    startedAt: null,
    stoppedAt: null,
    ...extra,
  };
}

describe('the job page’s frames as live deltas arrive', () => {
  it('counts frames by state for the job and for each layer', () => {
    const store = new FrameStore([frame(1, 'WAITING'), frame(2, 'WAITING'), frame(3, 'DEAD', 'comp')]);
    expect(store.jobCounts).toMatchObject({ WAITING: 2, DEAD: 1, RUNNING: 0 });
    expect(store.layerCounts.get('comp')).toMatchObject({ DEAD: 1, WAITING: 0 });
  });

  it('moves a frame’s count from its old state to its new one and returns the changed row', () => {
    const store = new FrameStore([frame(1, 'WAITING'), frame(2, 'WAITING')]);
    const { updated } = store.apply([delta(1, 'RUNNING', { hostName: 'render01' })]);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ id: 1, state: 'RUNNING', hostName: 'render01', number: 1, layerName: 'render' });
    expect(store.jobCounts).toMatchObject({ WAITING: 1, RUNNING: 1 });
    expect(store.layerCounts.get('render')).toMatchObject({ WAITING: 1, RUNNING: 1 });
  });

  it('gives the grid one row per frame when a batch holds several deltas for it, the last one winning', () => {
    const store = new FrameStore([frame(1, 'WAITING')]);
    const { updated } = store.apply([delta(1, 'RUNNING'), delta(1, 'SUCCEEDED')]);
    expect(updated).toEqual([expect.objectContaining({ id: 1, state: 'SUCCEEDED' })]);
    expect(store.jobCounts).toMatchObject({ WAITING: 0, RUNNING: 0, SUCCEEDED: 1 });
  });

  it('keeps showing the host a finished frame ran on, and clears it when the frame waits again', () => {
    const store = new FrameStore([frame(1, 'WAITING')]);
    store.apply([delta(1, 'RUNNING', { hostName: 'render01' })]);
    expect(store.apply([delta(1, 'DEAD')]).updated[0]?.hostName).toBe('render01');
    expect(store.apply([delta(1, 'WAITING')]).updated[0]?.hostName).toBeNull();
  });

  it('counts deltas for frames it does not hold, so the page can read the job again', () => {
    const store = new FrameStore([frame(1, 'WAITING')]);
    expect(store.apply([delta(99, 'RUNNING')])).toEqual({ updated: [], unknown: 1 });
    expect(store.jobCounts.RUNNING).toBe(0);
  });
});

describe('a read of the job and the deltas that arrived while it was in flight', () => {
  it('does not take a frame back to an earlier attempt the read had already moved past', () => {
    const read = { ...frame(1, 'RUNNING'), attempt: 2 };
    const store = new FrameStore([read]);
    const { updated } = store.apply([delta(1, 'DEAD', { attempt: 1 }), delta(1, 'SUCCEEDED', { attempt: 2 })]);
    expect(updated[0]).toMatchObject({ state: 'SUCCEEDED', attempt: 2 });
    expect(store.jobCounts).toMatchObject({ SUCCEEDED: 1, RUNNING: 0, DEAD: 0 });
  });

  it('its version moves only when a batch changed a frame, so rows taken before it can be known stale', () => {
    const store = new FrameStore([frame(1, 'WAITING'), frame(2, 'WAITING')]);
    expect(store.version).toBe(0);
    store.apply([delta(99, 'RUNNING')]);
    expect(store.version).toBe(0);
    store.apply([delta(1, 'RUNNING'), delta(2, 'RUNNING')]);
    expect(store.version).toBe(1);
    store.apply([delta(1, 'WAITING', { attempt: 0 })]);
    expect(store.version).toBe(1);
  });

  it('keeps the time finished frames took as they finish and are retried, for the ETA', () => {
    const store = new FrameStore([frame(1, 'RUNNING'), frame(2, 'RUNNING'), frame(3, 'WAITING')]);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    store.apply([
      delta(1, 'SUCCEEDED', { startedAt: at(0), stoppedAt: at(10) }),
      delta(2, 'SUCCEEDED', { startedAt: at(0), stoppedAt: at(30) }),
    ]);
    expect(store.finished).toEqual({ frames: 2, seconds: 40 });
    // 1 frame left, nothing running: 20 s (the mean) for it.
    expect(jobEta(store.finished, 1, 0)).toBe(20);
    store.apply([delta(2, 'WAITING', { attempt: 2 })]);
    expect(store.finished).toEqual({ frames: 1, seconds: 10 });
    expect(jobEta({ frames: 0, seconds: 0 }, 5, 1)).toBeNull();
  });
});
