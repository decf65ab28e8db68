'use client';
/**
 * A frame log as plain text (React escapes it: a log is never rendered as HTML), following
 * the end as it grows unless the reader has scrolled up to read something.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface LogViewerProps {
  text: string;
  /** The text starts part way into the file (only the tail was read). */
  truncated?: boolean;
  /** A line under the text, e.g. "following live" or "attempt finished". */
  status?: string;
  height?: number | string;
}

export function LogViewer({ text, truncated = false, status, height = '100%' }: LogViewerProps) {
  const box = useRef<HTMLPreElement>(null);
  const [following, setFollowing] = useState(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height, minHeight: 0 }}>
      <pre
        ref={box}
        data-testid="log-text"
        style={{
          flex: 1,
          margin: 0,
          padding: '6px 8px',
          overflow: 'auto',
          background: '#010409',
          color: '#c9d1d9',
          border: '1px solid #30363d',
          borderRadius: 4,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 12,
          lineHeight: 1.45,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {truncated && <span style={{ color: '#8b949e' }}>… earlier output not shown …{'\n'}</span>}
        {text}
      </pre>
      <div data-testid="log-status" style={{ fontSize: 11, color: '#8b949e', padding: '2px 2px 0' }}>
        {status}
        {!following && ' · scrolled up, not following'}
      </div>
    </div>
  );
}
