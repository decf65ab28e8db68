'use client';
/**
 * Panels of farm-wide figures: the problems panel (stuck jobs with the scheduler's reasons,
 * dead frames grouped by error, silent hosts) and core-hours per show per day.
 */
import { ConfirmDialog } from '@farmhand/ui';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../../client/trpc';
import type { DeadFrameGroup } from '../../../server/services/problems';
import { ProblemsPanel } from '../../farm/ProblemsPanel';
import { CoreHoursChart } from '../../production/CoreHoursChart';

const REFRESH_MS = 10_000;

export function ProblemsBox() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [asking, setAsking] = useState<DeadFrameGroup | null>(null);
  // Problems are computed (the scheduler's explanation over a snapshot), not pushed: read again
  // now and then, as the farm page's Refresh would.
  const problems = useQuery({ ...trpc.farm.problems.queryOptions({ deadLimit: 200 }), refetchInterval: REFRESH_MS });
  if (problems.error) return <div className="notice error">Could not work out the problems: {problems.error.message}</div>;
  const p = problems.data;
  if (!p) return <div className="muted">Asking the scheduler…</div>;
  const retry = async (g: DeadFrameGroup) => {
    setAsking(null);
    const byJob = new Map<string, number[]>();
    for (const f of g.frames) byJob.set(f.jobId, [...(byJob.get(f.jobId) ?? []), f.id]);
    await Promise.allSettled([...byJob].map(([jobId, frameIds]) => client.commands.retryFrames.mutate({ jobId, frameIds })));
    void problems.refetch();
  };
  return (
    <>
      <ProblemsPanel stuckJobs={p.stuckJobs} deadFrames={p.deadFrames} hosts={p.hosts} onRetryGroup={setAsking} />
      {asking && (
        <ConfirmDialog
          title={`Retry ${asking.frames.length} dead frame${asking.frames.length === 1 ? '' : 's'} that ended with this line?`}
          confirmLabel="Retry frames"
          onConfirm={() => void retry(asking)}
          onCancel={() => setAsking(null)}
        >
          <code>{asking.example}</code>
        </ConfirmDialog>
      )}
    </>
  );
}

export function CoreHoursBox({ days = 14, height }: { days?: number; height: number }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.production.coreHours.queryOptions({ days }));
  if (usage.error) return <div className="notice error">Could not read the usage: {usage.error.message}</div>;
  if (!usage.data) return <div className="muted">Loading…</div>;
  if (!usage.data.shows.length) return <div className="muted">No core-hours recorded in the last {days} days.</div>;
  return <CoreHoursChart usage={usage.data} height={Math.max(80, height)} />;
}
