'use client';
/**
 * Panels about one job: its frame grid (live, row deltas, the same grid as the job page), a
 * frame's log, and the job's movie (the job page's movie panel). Each asks for its job when none is chosen yet.
 */
import { useCallback, useState } from 'react';
import { useJobFrames } from '../../../client/useJobFrames';
import { FramesGrid } from '../../job/FramesGrid';
import { LogPanel } from '../../job/LogPanel';
import { MoviePanel } from '../../job/MoviePanel';

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
 * The job's movie: the job page's own Movie panel (packages/ui MoviePlayer on the preview
 * playlist); a placeholder clicked opens that frame's log below it.
 */
export function MovieBox({ jobId }: { jobId: string }) {
  const { data, store } = useJobFrames(jobId);
  const [openId, setOpenId] = useState<number | null>(null);
  const c = store.jobCounts;
  const open = openId === null ? undefined : store.get(openId);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 4, overflow: 'auto' }} data-testid="panel-movie">
      <MoviePanel jobId={jobId} version={data ? `${c.SUCCEEDED}:${c.DEAD}:${c.RUNNING}:${c.WAITING}` : ''} onOpenFrame={setOpenId} />
      {open && <LogPanel key={open.id} frame={open} onClose={() => setOpenId(null)} />}
    </div>
  );
}
