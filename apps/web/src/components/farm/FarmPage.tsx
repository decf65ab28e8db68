'use client';
/**
 * `/farm`: the wrangler's view. Top: cores in use per show against each subscription, and the
 * problems panel. Bottom: every show's jobs, the hosts and the procs, with bulk actions behind
 * a confirmation. Lists follow live deltas; the computed panels (subscriptions, problems,
 * procs) are read again when deltas say the farm changed, at most every few seconds.
 */
import { ConfirmDialog, useShortcuts } from '@farmhand/ui';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useLiveRoom } from '../../client/live';
import { useTRPC, useTRPCClient } from '../../client/trpc';
import { type BulkItem, throttle, useBulk } from '../../client/useBulk';
import { useHostsList } from '../../client/useHostsList';
import { useJobsList } from '../../client/useJobsList';
import type { HostRow } from '../../server/services/hosts';
import type { JobRow } from '../../server/services/jobs';
import type { DeadFrameGroup } from '../../server/services/problems';
import { CommandNotice } from '../CommandNotice';
import { FarmHostsGrid, FarmJobsGrid, ProcsGrid } from './FarmGrids';
import { ProblemsPanel } from './ProblemsPanel';
import { SubscriptionsPanel } from './SubscriptionsPanel';

type Tab = 'jobs' | 'hosts' | 'procs';
const REFRESH_MS = 3_000;

interface Pending {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  names: string[];
  what: string;
  items: BulkItem[];
}

export function FarmPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [tab, setTab] = useState<Tab>('jobs');
  const [jobsSelected, setJobsSelected] = useState<JobRow[]>([]);
  const [hostsSelected, setHostsSelected] = useState<HostRow[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const bulk = useBulk();

  const jobs = useJobsList({});
  const hosts = useHostsList();
  const allocations = useQuery(trpc.farm.allocations.queryOptions());
  const problems = useQuery(trpc.farm.problems.queryOptions({ deadLimit: 500 }));
  const procs = useQuery({ ...trpc.farm.procs.queryOptions(), enabled: tab === 'procs' });
  const { refetch: refetchAllocations } = allocations;
  const { refetch: refetchProblems } = problems;
  const { refetch: refetchProcs } = procs;
  const refresh = useMemo(
    () =>
      throttle(() => {
        void refetchAllocations();
        void refetchProblems();
        if (tab === 'procs') void refetchProcs();
      }, REFRESH_MS),
    [refetchAllocations, refetchProblems, refetchProcs, tab],
  );
  useLiveRoom('farm', { jobs: refresh, hosts: refresh });

  const ask = useCallback((p: Pending) => (p.items.length > 0 ? setPending(p) : undefined), []);
  const jobAction = useCallback(
    (kind: 'retry' | 'kill' | 'eat' | 'pause' | 'resume') => {
      const picked = jobsSelected;
      const verbs = {
        retry: {
          title: 'Retry the dead frames of',
          label: 'Retry dead frames',
          fn: (id: string) => client.commands.retryFrames.mutate({ jobId: id }),
        },
        kill: { title: 'Kill', label: 'Kill jobs', fn: (id: string) => client.commands.killJob.mutate({ jobId: id }) },
        eat: {
          title: 'Eat the dead frames of',
          label: 'Eat dead frames',
          fn: (id: string) => client.commands.eatFrames.mutate({ jobId: id }),
        },
        pause: { title: 'Pause', label: 'Pause jobs', fn: (id: string) => client.commands.pauseJob.mutate({ jobId: id }) },
        resume: { title: 'Resume', label: 'Resume jobs', fn: (id: string) => client.commands.resumeJob.mutate({ jobId: id }) },
      }[kind];
      ask({
        title: `${verbs.title} ${picked.length} job${picked.length === 1 ? '' : 's'}?`,
        confirmLabel: verbs.label,
        danger: kind === 'kill' || kind === 'eat',
        names: picked.map((j) => `${j.name} (${j.show}, ${j.user})`),
        what: verbs.label,
        items: picked.map((j) => ({ label: j.name, run: () => verbs.fn(j.id) })),
      });
    },
    [jobsSelected, client, ask],
  );
  const hostAction = useCallback(
    (kind: 'lock' | 'unlock') => {
      const picked = hostsSelected;
      const fn = kind === 'lock' ? client.commands.lockHost.mutate : client.commands.unlockHost.mutate;
      ask({
        title: `${kind === 'lock' ? 'Lock' : 'Unlock'} ${picked.length} host${picked.length === 1 ? '' : 's'}?`,
        confirmLabel: kind === 'lock' ? 'Lock hosts' : 'Unlock hosts',
        names: picked.map((h) => `${h.name} (${h.allocation})`),
        what: kind === 'lock' ? 'Lock hosts (running frames finish; no new ones start)' : 'Unlock hosts',
        items: picked.map((h) => ({ label: h.name, run: () => fn({ hostId: h.id }) })),
      });
    },
    [hostsSelected, client, ask],
  );
  const retryGroup = useCallback(
    (g: DeadFrameGroup) => {
      const byJob = new Map<string, { name: string; ids: number[] }>();
      for (const f of g.frames) {
        const entry = byJob.get(f.jobId) ?? { name: f.jobName, ids: [] };
        entry.ids.push(f.id);
        byJob.set(f.jobId, entry);
      }
      ask({
        title: `Retry ${g.frames.length} dead frame${g.frames.length === 1 ? '' : 's'} that ended with this line?`,
        confirmLabel: 'Retry frames',
        names: [g.example, ...g.frames.map((f) => `${f.jobName} · ${f.layerName} · frame ${f.frames}`)],
        what: 'Retry frames',
        items: [...byJob].map(([jobId, e]) => ({
          label: e.name,
          run: () => client.commands.retryFrames.mutate({ jobId, frameIds: e.ids }),
        })),
      });
    },
    [client, ask],
  );

  const confirm = useCallback(async () => {
    if (!pending) return;
    setPending(null);
    await bulk.run(pending.what, pending.items);
    refresh();
  }, [pending, bulk, refresh]);

  useShortcuts({
    '1': () => setTab('jobs'),
    '2': () => setTab('hosts'),
    '3': () => setTab('procs'),
    ...(tab === 'jobs' && jobsSelected.length > 0
      ? {
          r: () => jobAction('retry'),
          k: () => jobAction('kill'),
          e: () => jobAction('eat'),
          p: () => jobAction('pause'),
          u: () => jobAction('resume'),
        }
      : {}),
    ...(tab === 'hosts' && hostsSelected.length > 0 ? { l: () => hostAction('lock'), u: () => hostAction('unlock') } : {}),
  });

  const p = problems.data;
  const problemCount = p ? p.stuckJobs.length + p.deadFrames.length + p.hosts.length : 0;
  const nJobs = jobsSelected.length;
  const nHosts = hostsSelected.length;
  return (
    <>
      <div className="toolbar">
        <h1>Farm</h1>
        <span className="muted" data-testid="farm-summary">
          {allocations.data
            ? `${allocations.data.reduce((n, a) => n + a.coresInUse, 0)} of ${allocations.data.reduce((n, a) => n + a.cores, 0)} cores in use · ${hosts.data?.length ?? 0} hosts · ${jobs.data?.length ?? 0} jobs`
            : 'loading…'}
        </span>
        <span className="spacer" />
        <CommandNotice notice={bulk.notice} />
      </div>
      <div className="grid-2" style={{ flex: '0 0 38%', minHeight: 0 }}>
        <section className="panel" style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }} aria-label="Subscriptions">
          <div className="panel-title">Cores in use per show, by allocation</div>
          <div className="panel-body">
            {allocations.error ? (
              <div className="notice error">Could not read the subscriptions: {allocations.error.message}</div>
            ) : (
              <SubscriptionsPanel allocations={allocations.data ?? []} />
            )}
          </div>
        </section>
        <section
          className="panel"
          style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
          aria-label="Problems"
          data-testid="problems"
        >
          <div className="panel-title">
            Problems {p && <span className={problemCount ? 'danger' : 'muted'}>({problemCount})</span>}
            <span className="spacer" />
            <button type="button" data-testid="problems-refresh" onClick={() => void refetchProblems()} disabled={problems.isFetching}>
              {problems.isFetching ? 'Reading…' : 'Refresh'}
            </button>
          </div>
          <div className="panel-body">
            {problems.error ? (
              <div className="notice error">Could not work out the problems: {problems.error.message}</div>
            ) : p ? (
              <ProblemsPanel stuckJobs={p.stuckJobs} deadFrames={p.deadFrames} hosts={p.hosts} onRetryGroup={retryGroup} />
            ) : (
              <div className="muted">Asking the scheduler…</div>
            )}
          </div>
        </section>
      </div>
      <div className="toolbar">
        <div className="tabs" role="tablist" aria-label="Farm lists">
          {(['jobs', 'hosts', 'procs'] as const).map((t, i) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} data-testid={`farm-tab-${t}`} onClick={() => setTab(t)}>
              {t === 'jobs' ? 'Jobs' : t === 'hosts' ? 'Hosts' : 'Procs'} <span className="kbd">{i + 1}</span>
            </button>
          ))}
        </div>
        <span style={{ width: 12 }} />
        {tab === 'jobs' && (
          <>
            <span className="muted">{nJobs ? `${nJobs} selected:` : 'Select jobs for bulk actions'}</span>
            <button type="button" data-testid="bulk-retry" disabled={!nJobs || bulk.busy} onClick={() => jobAction('retry')}>
              Retry dead <span className="kbd">r</span>
            </button>
            <button type="button" data-testid="bulk-eat" disabled={!nJobs || bulk.busy} onClick={() => jobAction('eat')}>
              Eat dead <span className="kbd">e</span>
            </button>
            <button type="button" data-testid="bulk-pause" disabled={!nJobs || bulk.busy} onClick={() => jobAction('pause')}>
              Pause <span className="kbd">p</span>
            </button>
            <button type="button" data-testid="bulk-resume" disabled={!nJobs || bulk.busy} onClick={() => jobAction('resume')}>
              Resume <span className="kbd">u</span>
            </button>
            <button
              type="button"
              className="danger"
              data-testid="bulk-kill"
              disabled={!nJobs || bulk.busy}
              onClick={() => jobAction('kill')}
            >
              Kill <span className="kbd">k</span>
            </button>
          </>
        )}
        {tab === 'hosts' && (
          <>
            <span className="muted">{nHosts ? `${nHosts} selected:` : 'Select hosts for bulk actions'}</span>
            <button type="button" data-testid="bulk-lock" disabled={!nHosts || bulk.busy} onClick={() => hostAction('lock')}>
              Lock <span className="kbd">l</span>
            </button>
            <button type="button" data-testid="bulk-unlock" disabled={!nHosts || bulk.busy} onClick={() => hostAction('unlock')}>
              Unlock <span className="kbd">u</span>
            </button>
          </>
        )}
        {tab === 'procs' && <span className="muted">{procs.data ? `${procs.data.length} procs running` : ''}</span>}
      </div>
      <div style={{ flex: 1, minHeight: 200 }}>
        {tab === 'jobs' && <FarmJobsGrid rows={jobs.data ?? []} onSelect={setJobsSelected} loading={jobs.isPending} />}
        {tab === 'hosts' && <FarmHostsGrid rows={hosts.data ?? []} onSelect={setHostsSelected} loading={hosts.isPending} />}
        {tab === 'procs' && <ProcsGrid rows={procs.data ?? []} loading={procs.isPending} />}
      </div>
      {pending && (
        <ConfirmDialog
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          danger={pending.danger}
          onCancel={() => setPending(null)}
          onConfirm={() => void confirm()}
        >
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {pending.names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </>
  );
}
