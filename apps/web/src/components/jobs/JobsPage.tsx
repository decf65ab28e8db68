'use client';
/**
 * `/`: the jobs grid (mine, or everyone's), kept current by live job deltas from the
 * dispatcher's `farm` room: no polling. A delta for a job the list does not hold (a new
 * submission) reads the list again once.
 */
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useFarm } from '../../client/farmContext';
import { SavedGrid } from '../../client/SavedGrid';
import { useJobsList } from '../../client/useJobsList';
import type { JobRow } from '../../server/services/jobs';
import { jobColumns } from './jobColumns';

export function JobsPage() {
  const { user } = useFarm();
  const [mine, setMine] = useState(false);
  const jobs = useJobsList(mine && user ? { user } : {});

  const rows = jobs.data ?? [];
  const summary = useMemo(() => {
    const running = rows.filter((j) => j.state === 'RUNNING').length;
    const failed = rows.filter((j) => j.state === 'FAILED').length;
    return `${rows.length} jobs · ${running} running · ${failed} failed`;
  }, [rows]);

  return (
    <>
      <div className="toolbar">
        <h1>{mine ? 'My jobs' : 'Jobs'}</h1>
        <label>
          <input type="checkbox" data-testid="filter-mine" checked={mine} onChange={(e) => setMine(e.target.checked)} /> only mine
          {user ? ` (${user})` : ''}
        </label>
        <span className="muted" data-testid="jobs-summary">
          {jobs.isPending ? 'loading…' : summary}
        </span>
        <span className="spacer" />
        <Link className="button primary" href="/submit" data-testid="new-job">
          Submit a job
        </Link>
      </div>
      {jobs.error && <div className="notice error">Could not read the jobs: {jobs.error.message}</div>}
      <div style={{ flex: 1, minHeight: 0 }}>
        <SavedGrid<JobRow>
          grid="jobs"
          testId="jobs-grid"
          rowId={(j) => j.id}
          rowData={rows}
          columnDefs={jobColumns}
          defaultColDef={{ sortable: true, resizable: true }}
          overlayNoRowsTemplate={jobs.isPending ? 'Loading…' : 'No jobs yet: submit one.'}
        />
      </div>
    </>
  );
}
