'use client';
/**
 * A job's figures in the header: elapsed time, an ETA from the frames finished so far (their
 * mean time × frames left ÷ frames running at once), and core-hours used.
 */
import { useMemo } from 'react';
import { formatDuration } from '../../client/format';
import type { FrameStore } from '../../client/frameStore';
import type { JobRow } from '../../server/services/jobs';

export function jobEta(durations: number[], left: number, running: number): number | null {
  if (durations.length === 0 || left === 0) return null;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  return (mean * left) / Math.max(1, running);
}

export function JobFigures({ job, frames }: { job: JobRow; frames: FrameStore }) {
  const c = job.counts;
  const done = c.SUCCEEDED;
  // Recomputed when a frame finishes, not on every delta: 100,000 rows are walked at most per finish.
  const eta = useMemo(() => {
    if (done === 0) return null;
    const durations: number[] = [];
    for (const f of frames.rows())
      if (f.state === 'SUCCEEDED' && f.startedAt && f.stoppedAt) durations.push((Date.parse(f.stoppedAt) - Date.parse(f.startedAt)) / 1000);
    return jobEta(durations, c.WAITING + c.DEPEND + c.RUNNING + c.SETUP, c.RUNNING + c.SETUP);
  }, [frames, done, c.WAITING, c.DEPEND, c.RUNNING, c.SETUP]);
  const start = job.startedAt ? Date.parse(job.startedAt) : null;
  const end = job.stoppedAt ? Date.parse(job.stoppedAt) : Date.now();
  return (
    <span className="muted" data-testid="job-figures">
      {[
        start !== null ? `elapsed ${formatDuration((end - start) / 1000)}` : null,
        eta !== null ? `ETA ${formatDuration(eta)}` : null,
        `${(job.coreSeconds / 3600).toFixed(job.coreSeconds < 360 ? 2 : 1)} core-hours`,
      ]
        .filter(Boolean)
        .join(' · ')}
    </span>
  );
}
