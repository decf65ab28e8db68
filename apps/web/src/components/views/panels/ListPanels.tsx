'use client';
/**
 * Job list and host list panels: the same columns as the jobs and hosts pages, kept live by
 * the same deltas. A job list can show only the viewer's own jobs.
 */
import { FarmGrid } from '@farmhand/ui';
import { useFarm } from '../../../client/farmContext';
import { useHostsList } from '../../../client/useHostsList';
import { useJobsList } from '../../../client/useJobsList';
import type { HostRow } from '../../../server/services/hosts';
import type { JobRow } from '../../../server/services/jobs';
import { hostColumns } from '../../hosts/hostColumns';
import { jobColumns } from '../../jobs/jobColumns';

const defaultColDef = { sortable: true, resizable: true };

export function JobsPanel({ mine }: { mine?: boolean }) {
  const { user } = useFarm();
  const jobs = useJobsList(mine && user ? { user } : {});
  if (jobs.error) return <div className="notice error">Could not read the jobs: {jobs.error.message}</div>;
  return (
    <FarmGrid<JobRow>
      testId="panel-jobs-grid"
      rowId={(j) => j.id}
      rowData={jobs.data ?? []}
      columnDefs={jobColumns}
      defaultColDef={defaultColDef}
      loading={jobs.isPending}
      overlayNoRowsTemplate={mine ? 'You have no jobs.' : 'No jobs.'}
    />
  );
}

export function HostsPanel() {
  const hosts = useHostsList();
  if (hosts.error) return <div className="notice error">Could not read the hosts: {hosts.error.message}</div>;
  return (
    <FarmGrid<HostRow>
      testId="panel-hosts-grid"
      rowId={(h) => h.id}
      rowData={hosts.data ?? []}
      columnDefs={hostColumns}
      defaultColDef={defaultColDef}
      loading={hosts.isPending}
      overlayNoRowsTemplate="No hosts yet."
    />
  );
}
