import { FRAME_STATES, type FrameCounts, type JobDelta } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { mergeJobDeltas } from '../src/client/jobsCache';
import type { JobRow } from '../src/server/services/jobs';

const counts = (c: Partial<FrameCounts>): FrameCounts => ({
  ...(Object.fromEntries(FRAME_STATES.map((s) => [s, 0])) as FrameCounts),
  ...c,
});

function job(id: string): JobRow {
  return {
    id,
    name: id,
    show: 'sandbox',
    shot: '',
    user: 'alice',
    state: 'PENDING',
    paused: false,
    priority: 100,
    maxRetries: 3,
    submittedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    stoppedAt: null,
    counts: counts({ WAITING: 4 }),
    totalFrames: 4,
    coreSeconds: 0,
  };
}

describe('the jobs list as job deltas arrive', () => {
  it('takes the state, pause, priority and frame counts of a job from its delta', () => {
    const delta: JobDelta = {
      id: 'a',
      state: 'RUNNING',
      paused: true,
      priority: 300,
      counts: counts({ RUNNING: 1, SUCCEEDED: 2, WAITING: 1 }),
    };
    const { rows, unknown } = mergeJobDeltas([job('a'), job('b')], [delta]);
    expect(rows[0]).toMatchObject({ id: 'a', state: 'RUNNING', paused: true, priority: 300, totalFrames: 4, name: 'a' });
    expect(rows[0]?.counts.SUCCEEDED).toBe(2);
    expect(rows[1]).toEqual(job('b'));
    expect(unknown).toEqual([]);
  });

  it('returns the ids of jobs it does not list (a new submission) without adding them', () => {
    const delta: JobDelta = { id: 'new', state: 'PENDING', paused: false, priority: 100, counts: counts({ WAITING: 1 }) };
    const { rows, unknown } = mergeJobDeltas([job('a')], [delta]);
    expect(rows.map((r) => r.id)).toEqual(['a']);
    expect(unknown).toEqual(['new']);
  });
});
