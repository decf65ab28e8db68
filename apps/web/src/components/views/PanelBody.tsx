'use client';
/**
 * What a panel of a composed page shows, by its type, and the little form a panel about a job
 * shows until its job is chosen.
 */
import { PAGE_ROW_PX, type Panel } from '@farmhand/contracts';
import { useJobsList } from '../../client/useJobsList';
import { CoreHoursBox, ProblemsBox } from './panels/FarmPanels';
import { FramesBox, LogBox, MovieBox } from './panels/JobPanels';
import { HostsPanel, JobsPanel } from './panels/ListPanels';

/** Panels that show one job. */
export const JOB_PANELS = new Set<Panel['type']>(['frames', 'log', 'movie']);

function JobChooser({ onChoose }: { onChoose: (jobId: string) => void }) {
  const jobs = useJobsList({});
  return (
    <label className="muted">
      job{' '}
      <select aria-label="Job this panel shows" data-testid="panel-choose-job" value="" onChange={(e) => onChoose(e.target.value)}>
        <option value="">choose a job…</option>
        {(jobs.data ?? []).map((j) => (
          <option key={j.id} value={j.id}>
            {j.name} ({j.show}, {j.user})
          </option>
        ))}
      </select>
    </label>
  );
}

export function PanelBody({ panel, onChange }: { panel: Panel; onChange: (patch: Partial<Panel>) => void }) {
  if (JOB_PANELS.has(panel.type) && !panel.jobId) return <JobChooser onChoose={(jobId) => onChange({ jobId })} />;
  const jobId = panel.jobId ?? '';
  switch (panel.type) {
    case 'jobs':
      return <JobsPanel mine={panel.mine} />;
    case 'hosts':
      return <HostsPanel />;
    case 'frames':
      return <FramesBox jobId={jobId} />;
    case 'log':
      return <LogBox jobId={jobId} frameId={panel.frameId} />;
    case 'movie':
      return <MovieBox jobId={jobId} />;
    case 'coreHours':
      // The chart's height follows the panel's (rows of PAGE_ROW_PX, less the title and legend).
      return <CoreHoursBox days={panel.days} height={panel.h * PAGE_ROW_PX - 90} />;
    case 'problems':
      return <ProblemsBox />;
  }
}
