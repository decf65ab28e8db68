'use client';
/**
 * A composed page's panels in a 12-column grid the person rearranges: drag a panel by its
 * title, resize it from its corner (react-grid-layout — maintained, React 19 ready, the layout
 * model is plain {x, y, w, h} that we store as it is). Each change is reported once it ends
 * (drag stop, resize stop), not on every mouse move.
 */
import { PAGE_COLUMNS, PAGE_ROW_PX, PANEL_LABELS, type Panel } from '@farmhand/contracts';
import ReactGridLayout, { type Layout, useContainerWidth } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { PanelBody } from './PanelBody';
import { placed } from './pageLayout';

const MARGIN = 8;

export interface PageCanvasProps {
  panels: Panel[];
  /** The panels after a move, resize, change of settings or removal. */
  onChange: (panels: Panel[]) => void;
}

export function PageCanvas({ panels, onChange }: PageCanvasProps) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout: Layout = panels.map((p) => ({ i: p.id, x: p.x, y: p.y, w: p.w, h: p.h, minW: 2, minH: 3 }));
  const end = (next: Layout) => {
    const moved = placed(panels, next);
    if (moved) onChange(moved);
  };
  return (
    <div ref={containerRef} data-testid="page-canvas" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
      {mounted && (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: PAGE_COLUMNS, rowHeight: PAGE_ROW_PX - MARGIN, margin: [MARGIN, MARGIN], containerPadding: [0, 0] }}
          dragConfig={{ enabled: true, handle: '.panel-drag', cancel: '.panel-actions' }}
          resizeConfig={{ enabled: true, handles: ['se'] }}
          onDragStop={(next) => end(next)}
          onResizeStop={(next) => end(next)}
        >
          {panels.map((p) => (
            <section
              key={p.id}
              className="panel"
              data-testid="panel"
              data-panel-id={p.id}
              data-panel-type={p.type}
              data-place={`${p.x},${p.y},${p.w},${p.h}`}
              aria-label={p.title || PANEL_LABELS[p.type]}
              style={{ display: 'flex', flexDirection: 'column', overflow: 'hidden' }}
            >
              <div className="panel-title panel-drag" data-testid="panel-drag" title="Drag to move; resize from the bottom-right corner">
                <span aria-hidden="true" className="muted">
                  ⠿
                </span>
                {p.title || PANEL_LABELS[p.type]}
                <span className="spacer" />
                <span className="panel-actions">
                  {p.type === 'jobs' && (
                    <label className="muted" style={{ fontWeight: 400 }}>
                      <input
                        type="checkbox"
                        checked={!!p.mine}
                        onChange={(e) => onChange(panels.map((q) => (q.id === p.id ? { ...q, mine: e.target.checked } : q)))}
                      />{' '}
                      only mine
                    </label>
                  )}
                  {p.jobId && (
                    <button
                      type="button"
                      onClick={() => onChange(panels.map((q) => (q.id === p.id ? { ...q, jobId: undefined, frameId: undefined } : q)))}
                    >
                      Other job
                    </button>
                  )}
                  <button
                    type="button"
                    data-testid="panel-remove"
                    aria-label={`Remove the ${PANEL_LABELS[p.type]} panel`}
                    onClick={() => onChange(panels.filter((q) => q.id !== p.id))}
                  >
                    ✕
                  </button>
                </span>
              </div>
              <div className="panel-body" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
                <PanelBody panel={p} onChange={(patch) => onChange(panels.map((q) => (q.id === p.id ? { ...q, ...patch } : q)))} />
              </div>
            </section>
          ))}
        </ReactGridLayout>
      )}
    </div>
  );
}
