'use client';
/**
 * A job's figures in the header: elapsed time, an ETA from the frames finished so far (their
 * mean time × frames left ÷ frames running at once), and core-hours used.
 */
import { formatDuration } from '../../client/format';
import type { FrameStore } from '../../client/frameStore';
import type { JobRow } from '../../server/services/jobs';

/** Seconds left: the mean time of the frames finished × frames left ÷ frames running at once. */
export function jobEta(finished: { frames: number; seconds: number }, left: number, running: number): number | null {
  if (finished.frames === 0 || left === 0) return null;
  return ((finished.seconds / finished.frames) * left) / Math.max(1, running);
}

export function JobFigures({ job, frames }: { job: JobRow; frames: FrameStore }) {
  const c = job.counts;
  // The store keeps the finished frames' time as deltas arrive: nothing here walks 100,000 rows.
  const eta = jobEta(frames.finished, c.WAITING + c.DEPEND + c.RUNNING + c.SETUP, c.RUNNING + c.SETUP);
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
