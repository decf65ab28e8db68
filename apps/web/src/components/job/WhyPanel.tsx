'use client';
/**
 * "Why isn't my job running?" — the scheduler's explanation for a job or a frame, in plain
 * words: what would start in the next pass and where, and for the rest, the reason a person
 * can act on (no host has the memory, the show is at its burst, a limit is full, a depend…).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../../client/trpc';
import type { WhyAnswer } from '../../server/services/why';

const TONE: Record<string, string> = {
  WOULD_BOOK: 'var(--ok)',
  DEPEND: '#a371f7',
  NOT_READY: 'var(--muted)',
  JOB_PAUSED: '#58a6ff',
  FARM_FULL: 'var(--warn)',
  PASS_CAP: 'var(--warn)',
};

export function WhyLines({ answer }: { answer: WhyAnswer }) {
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }}>
      {answer.lines.map((l) => (
        <li key={`${l.code}:${l.reason}`} data-testid="why-line" data-code={l.code} style={{ color: TONE[l.code] ?? 'var(--danger)' }}>
          <span style={{ color: 'var(--text)' }}>{l.reason}</span>
          {l.frames > 1 && <span className="muted"> ({l.frames} frames)</span>}
        </li>
      ))}
    </ul>
  );
}

/** `version` changes when the job's frames change state: the explanation is asked again. */
export function WhyPanel({ target, version }: { target: { jobId: string } | { frameId: number }; version: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    'jobId' in target ? trpc.why.job.queryOptions({ jobId: target.jobId }) : trpc.why.frame.queryOptions({ frameId: target.frameId }),
  );
  const { refetch } = query;
  useEffect(() => {
    if (version) void refetch();
  }, [version, refetch]);
  const what = 'jobId' in target ? 'this job' : 'this frame';
  return (
    <div data-testid="why-panel" className="notice" style={{ fontSize: 12 }}>
      <div className="muted" style={{ marginBottom: 2 }}>
        Why isn’t {what} running? {query.isFetching && '(asking the scheduler…)'}
      </div>
      {query.error ? (
        <div className="field-error">Could not ask the scheduler: {query.error.message}</div>
      ) : query.data ? (
        <WhyLines answer={query.data} />
      ) : null}
    </div>
  );
}
