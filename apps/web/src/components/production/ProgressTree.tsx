'use client';
/**
 * Progress by show → sequence → shot: a tree table, sequences open by default, each row with
 * its frames by state as a bar and the counts a producer reads (done, failing, running, left).
 */
import type { FrameCounts } from '@farmhand/contracts';
import { FrameProgressBar, totalFrames } from '@farmhand/ui';
import { Fragment, useState } from 'react';
import type { ShowProgress } from '../../server/services/production';

function Figures({ counts }: { counts: FrameCounts }) {
  const total = totalFrames(counts);
  const done = counts.SUCCEEDED + counts.EATEN;
  return (
    <>
      <td style={{ width: 220 }}>
        <FrameProgressBar counts={counts} height={10} />
      </td>
      <td style={{ width: 110 }}>
        {done} / {total} <span className="muted">{total ? `${Math.floor((100 * done) / total)}%` : ''}</span>
      </td>
      <td style={{ width: 70, color: counts.DEAD ? 'var(--danger)' : undefined, fontWeight: counts.DEAD ? 600 : undefined }}>
        {counts.DEAD}
      </td>
      <td style={{ width: 70 }}>{counts.RUNNING + counts.SETUP}</td>
      <td style={{ width: 70 }}>{counts.WAITING + counts.DEPEND}</td>
    </>
  );
}

export function ProgressTree({ shows }: { shows: ShowProgress[] }) {
  const [closed, setClosed] = useState<Set<string>>(new Set());
  const toggle = (key: string) =>
    setClosed((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  if (shows.length === 0) return <div className="muted">No jobs yet.</div>;
  return (
    <table className="dense" data-testid="production-tree">
      <thead>
        <tr>
          <th>show / sequence / shot</th>
          <th style={{ width: 60 }}>jobs</th>
          <th>progress</th>
          <th>done</th>
          <th>failing</th>
          <th>running</th>
          <th>waiting</th>
        </tr>
      </thead>
      <tbody>
        {shows.map((show) => {
          const showOpen = !closed.has(show.show);
          return (
            <Fragment key={show.show}>
              <tr data-testid={`prod-show-${show.show}`}>
                <td>
                  <button
                    type="button"
                    aria-expanded={showOpen}
                    aria-label={`${showOpen ? 'Close' : 'Open'} show ${show.show}`}
                    onClick={() => toggle(show.show)}
                    style={{ padding: '0 4px', marginRight: 6 }}
                  >
                    {showOpen ? '▾' : '▸'}
                  </button>
                  <strong>{show.show}</strong>
                </td>
                <td>{show.jobs}</td>
                <Figures counts={show.counts} />
              </tr>
              {showOpen &&
                show.sequences.map((seq) => {
                  const key = `${show.show}/${seq.sequence}`;
                  const seqOpen = !closed.has(key);
                  return (
                    <Fragment key={key}>
                      <tr data-testid={`prod-seq-${show.show}-${seq.sequence}`}>
                        <td style={{ paddingLeft: 22 }}>
                          <button
                            type="button"
                            aria-expanded={seqOpen}
                            aria-label={`${seqOpen ? 'Close' : 'Open'} sequence ${seq.sequence}`}
                            onClick={() => toggle(key)}
                            style={{ padding: '0 4px', marginRight: 6 }}
                          >
                            {seqOpen ? '▾' : '▸'}
                          </button>
                          {seq.sequence}
                        </td>
                        <td>{seq.shots.reduce((n, s) => n + s.jobs, 0)}</td>
                        <Figures counts={seq.counts} />
                      </tr>
                      {seqOpen &&
                        seq.shots.map((shot) => (
                          <tr key={shot.shot} data-testid={`prod-shot-${show.show}-${shot.shot}`}>
                            <td style={{ paddingLeft: 62 }}>{shot.shot}</td>
                            <td>{shot.jobs}</td>
                            <Figures counts={shot.counts} />
                          </tr>
                        ))}
                    </Fragment>
                  );
                })}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
