'use client';
/** The job page's buttons: frame actions on the selected frames, job actions on the whole job. */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../client/trpc';
import type { JobRow } from '../../server/services/jobs';
import { CommandNotice, useCommandFeedback } from '../CommandNotice';

export function JobActions({ job, selected, deadCount }: { job: JobRow; selected: number[]; deadCount: number }) {
  const trpc = useTRPC();
  const feedback = useCommandFeedback();
  const opts = { onSuccess: feedback.onSuccess, onError: feedback.onError };
  const retry = useMutation(trpc.commands.retryFrames.mutationOptions(opts));
  const kill = useMutation(trpc.commands.killFrames.mutationOptions(opts));
  const eat = useMutation(trpc.commands.eatFrames.mutationOptions(opts));
  const killJob = useMutation(trpc.commands.killJob.mutationOptions(opts));
  const pause = useMutation(trpc.commands.pauseJob.mutationOptions(opts));
  const resume = useMutation(trpc.commands.resumeJob.mutationOptions(opts));
  const priority = useMutation(trpc.commands.setPriority.mutationOptions(opts));
  const [pri, setPri] = useState(String(job.priority));
  useEffect(() => setPri(String(job.priority)), [job.priority]);

  const frames = { jobId: job.id, frameIds: selected };
  const none = selected.length === 0;
  const finished = job.state === 'KILLED';
  const n = selected.length;
  return (
    <div className="toolbar">
      <span className="muted">{none ? 'No frames selected' : `${n} frame${n === 1 ? '' : 's'} selected:`}</span>
      <button
        type="button"
        data-testid="frames-retry"
        aria-label="Retry selected frames"
        disabled={none || finished}
        onClick={() => retry.mutate(frames)}
      >
        Retry
      </button>
      <button
        type="button"
        data-testid="frames-kill"
        aria-label="Kill selected frames"
        disabled={none || finished}
        onClick={() => kill.mutate(frames)}
      >
        Kill
      </button>
      <button
        type="button"
        data-testid="frames-eat"
        aria-label="Eat selected frames"
        disabled={none || finished}
        onClick={() => eat.mutate(frames)}
      >
        Eat
      </button>
      <span style={{ width: 16 }} />
      <span className="muted">Job:</span>
      <button
        type="button"
        data-testid="job-retry-dead"
        aria-label="Retry dead frames"
        disabled={deadCount === 0 || finished}
        onClick={() => retry.mutate({ jobId: job.id })}
      >
        Retry dead ({deadCount})
      </button>
      {job.paused ? (
        <button
          type="button"
          data-testid="job-resume"
          aria-label="Resume job"
          disabled={finished}
          onClick={() => resume.mutate({ jobId: job.id })}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          data-testid="job-pause"
          aria-label="Pause job"
          disabled={finished}
          onClick={() => pause.mutate({ jobId: job.id })}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="danger"
        data-testid="job-kill"
        aria-label="Kill job"
        disabled={finished}
        onClick={() => killJob.mutate({ jobId: job.id })}
      >
        Kill job
      </button>
      <form
        style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}
        onSubmit={(e) => {
          e.preventDefault();
          const value = Number(pri);
          if (Number.isInteger(value) && value >= 0 && value <= 10_000) priority.mutate({ jobId: job.id, priority: value });
          else feedback.onError({ message: `priority: '${pri}' is not valid: use a whole number from 0 to 10000` });
        }}
      >
        <label className="muted" htmlFor="priority">
          priority
        </label>
        <input id="priority" data-testid="job-priority" value={pri} onChange={(e) => setPri(e.target.value)} size={5} inputMode="numeric" />
        <button type="submit" data-testid="job-set-priority" disabled={pri === String(job.priority)}>
          Set
        </button>
      </form>
      <CommandNotice notice={feedback.notice} />
    </div>
  );
}
