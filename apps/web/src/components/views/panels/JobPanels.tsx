'use client';
/**
 * Panels about one job: its frame grid (live, row deltas, the same grid as the job page), a
 * frame's log, and the job's movie. Each asks for its job when none is chosen yet.
 */
import { useCallback, useState } from 'react';
import { useJobFrames } from '../../../client/useJobFrames';
import { FramesGrid } from '../../job/FramesGrid';
import { LogPanel } from '../../job/LogPanel';

export function FramesBox({ jobId }: { jobId: string }) {
  const { query, data, store, rows, onReady } = useJobFrames(jobId);
  const [openId, setOpenId] = useState<number | null>(null);
  const onOpen = useCallback((id: number) => setOpenId(id), []);
  const noop = useCallback(() => {}, []);
  if (query.error) return <div className="notice error">Could not read the job: {query.error.message}</div>;
  if (!data) return <div className="muted">Loading the job…</div>;
  const open = openId === null ? undefined : store.get(openId);
  const c = store.jobCounts;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 4 }}>
      <div className="muted" data-testid="panel-frames-counts">
        {data.job.name} · {c.SUCCEEDED + c.EATEN} / {store.size} done · {c.RUNNING} running · {c.DEAD} dead
      </div>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', gap: 6 }}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <FramesGrid rows={rows} onReady={onReady} onSelect={noop} onOpen={onOpen} />
        </div>
        {open && (
          <div style={{ width: '50%', minWidth: 280 }}>
            <LogPanel key={open.id} frame={open} onClose={() => setOpenId(null)} />
          </div>
        )}
      </div>
    </div>
  );
}

export function LogBox({ jobId, frameId }: { jobId: string; frameId?: number }) {
  const { query, data, store } = useJobFrames(jobId);
  const [chosen, setChosen] = useState<number | undefined>(frameId);
  if (query.error) return <div className="notice error">Could not read the job: {query.error.message}</div>;
  if (!data) return <div className="muted">Loading the job…</div>;
  const frame = chosen === undefined ? undefined : store.get(chosen);
  if (!frame) {
    return (
      <label className="muted">
        frame{' '}
        <select aria-label="Frame whose log to show" value="" onChange={(e) => setChosen(Number(e.target.value))}>
          <option value="">choose…</option>
          {/* The first 500 frames: a log panel is for a frame you are watching, not for browsing. */}
          {data.frames.slice(0, 500).map((f) => (
            <option key={f.id} value={f.id}>
              {f.layerName} · {f.frames} ({f.state})
            </option>
          ))}
        </select>
      </label>
    );
  }
  return <LogPanel key={frame.id} frame={frame} onClose={() => setChosen(undefined)} />;
}

/**
 * The job's movie. The player is being built in packages/ui (another piece of work, issue #8);
 * until its export exists this panel shows the job's frame grid, so the slot is already where a
 * person put it. Replace the body with the player (`<MoviePlayer jobId={jobId} />`) then.
 */
export function MovieBox({ jobId }: { jobId: string }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 4 }} data-testid="movie-slot">
      <div className="notice">The movie player is not available in this build yet: here are the job’s frames.</div>
      <div style={{ flex: 1, minHeight: 0 }}>
        <FramesBox jobId={jobId} />
      </div>
    </div>
  );
}
