'use client';
/**
 * A frame log as text (React escapes it: a log is never rendered as HTML), virtualized so a
 * million lines scroll smoothly, with ANSI colours, regex search with marks and next/previous,
 * "jump to first error", wrap, line numbers (click one to link to it), download. It follows
 * the end while the reader is at the end and stops as soon as they scroll up.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { type AnsiStyle, parseAnsi, stripAnsi } from './ansi';
import { LogLines } from './logLines';
import { compileSearch, DEFAULT_ERROR_PATTERNS, errorRegex, markMatches, matchingLines } from './logSearch';
import { useFarmTheme } from './theme';

export interface LogViewerProps {
  text: string;
  /** The text starts part way into the file (only the tail was read). */
  truncated?: boolean;
  /** A line under the text, e.g. "following live" or "attempt finished". */
  status?: string;
  height?: number | string;
  /** Regexes for "jump to first error" (a show's own; the defaults otherwise). */
  errorPatterns?: readonly string[];
  /** Where the whole log can be downloaded. */
  downloadUrl?: string;
  downloadName?: string;
  /** Open scrolled to this line (1-based), marked, not following. */
  initialLine?: number;
  /** The reader picked a line (clicked its number): e.g. put it in the URL. */
  onLineSelect?: (line: number) => void;
  /**
   * The line that ends a header written before the command's output (rqd's `==== output ====`):
   * "first error" looks below it, so the echoed command line is not taken for an error.
   */
  outputStartsAfter?: string;
}

const ROW_PX = 18;
const AT_END_PX = 2 * ROW_PX;

function runStyle(s: AnsiStyle, mark: boolean): CSSProperties | undefined {
  const fg = s.inverse ? s.bg : s.fg;
  const bg = s.inverse ? (s.fg ?? '#c9d1d9') : s.bg;
  if (!fg && !bg && !s.bold && !s.italic && !s.underline && !mark) return undefined;
  return {
    color: mark ? '#0d1117' : fg,
    background: mark ? '#e3b341' : bg,
    fontWeight: s.bold ? 700 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: s.underline ? 'underline' : undefined,
    borderRadius: mark ? 2 : undefined,
  };
}

const LogLine = memo(function LogLine({ line, search }: { line: string; search: RegExp | null }) {
  const runs = markMatches(parseAnsi(line).runs, search);
  return (
    <>
      {runs.map((r, i) =>
        r.mark || runStyle(r.style, false) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: runs of one line never reorder
          <span key={i} style={runStyle(r.style, r.mark)} data-mark={r.mark || undefined}>
            {r.text}
          </span>
        ) : (
          r.text
        ),
      )}
    </>
  );
});

export function LogViewer({
  text,
  truncated = false,
  status,
  height = '100%',
  errorPatterns = DEFAULT_ERROR_PATTERNS,
  downloadUrl,
  downloadName,
  initialLine,
  onLineSelect,
  outputStartsAfter,
}: LogViewerProps) {
  const light = useFarmTheme() === 'light';
  const box = useRef<HTMLDivElement>(null);
  const lines = useRef(new LogLines()).current;
  lines.update(text);
  const count = lines.count;
  const version = lines.version;
  const [following, setFollowing] = useState(initialLine === undefined);
  const [wrap, setWrap] = useState(false);
  const [numbers, setNumbers] = useState(true);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const [selected, setSelected] = useState<number | null>(initialLine !== undefined ? initialLine - 1 : null);
  const [notice, setNotice] = useState<string | null>(null);
  const pendingLine = useRef(initialLine !== undefined ? initialLine - 1 : null);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => box.current,
    estimateSize: () => ROW_PX,
    overscan: 30,
  });
  // Wrapped rows have their own heights: measured as they render; unwrapped rows are all one height.
  useEffect(() => {
    if (wrap !== undefined) virtualizer.measure();
  }, [wrap, virtualizer]);

  const search = useMemo(() => compileSearch(query), [query]);
  const plain = useCallback((i: number) => stripAnsi(lines.lines[i] ?? ''), [lines]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says the lines changed (the array is reused)
  const matches = useMemo(() => matchingLines(count, plain, search.regex), [count, version, plain, search.regex]);

  const goTo = useCallback(
    (index: number) => {
      setFollowing(false);
      setSelected(index);
      virtualizer.scrollToIndex(index, { align: 'center' });
    },
    [virtualizer],
  );

  // Follow the end while following; open at the linked line once it has arrived.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says the last line grew (the count may not change)
  useLayoutEffect(() => {
    if (count === 0) return;
    const target = pendingLine.current;
    if (target !== null) {
      if (target < count) {
        pendingLine.current = null;
        virtualizer.scrollToIndex(target, { align: 'center' });
      }
      return;
    }
    if (following) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, version, following, virtualizer]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let lastTop = el.scrollTop;
    const onScroll = () => {
      const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < AT_END_PX;
      // Scrolling up is the reader taking over; reaching the end again hands it back.
      if (el.scrollTop < lastTop && !atEnd) setFollowing(false);
      else if (atEnd) setFollowing(true);
      lastTop = el.scrollTop;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  const step = (by: 1 | -1) => {
    if (matches.length === 0) return;
    const next = current < 0 ? (by === 1 ? 0 : matches.length - 1) : (current + by + matches.length) % matches.length;
    setCurrent(next);
    goTo(matches[next] ?? 0);
  };
  const firstError = () => {
    const regex = errorRegex(errorPatterns);
    const header = outputStartsAfter ? lines.lines.indexOf(outputStartsAfter) : -1;
    const found = regex ? matchingLines(count, plain, regex).find((i) => i > header) : undefined;
    if (found === undefined) setNotice(`no line matches ${errorPatterns.join(', ')}`);
    else {
      setNotice(null);
      goTo(found);
    }
  };

  const colors = light
    ? { bg: '#ffffff', text: '#1f2328', gutter: '#8c959f', border: '#d0d7de', sel: '#0969da22' }
    : { bg: '#010409', text: '#c9d1d9', gutter: '#6e7681', border: '#30363d', sel: '#1f6feb33' };
  const gutterWidth = `${Math.max(3, String(count).length) + 1}ch`;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height, minHeight: 0, gap: 4 }}>
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap', fontSize: 12 }}>
        <input
          aria-label="Search the log (regex)"
          data-testid="log-search"
          placeholder="search (regex)"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(-1);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') step(e.shiftKey ? -1 : 1);
          }}
          style={{ width: 180 }}
        />
        <button type="button" data-testid="log-search-prev" aria-label="Previous match" onClick={() => step(-1)} disabled={!matches.length}>
          ↑
        </button>
        <button type="button" data-testid="log-search-next" aria-label="Next match" onClick={() => step(1)} disabled={!matches.length}>
          ↓
        </button>
        <span data-testid="log-search-count" style={{ color: colors.gutter, minWidth: 60 }}>
          {query
            ? `${matches.length ? `${current < 0 ? '–' : current + 1} / ` : ''}${matches.length} match${matches.length === 1 ? '' : 'es'}`
            : ''}
        </span>
        <button type="button" data-testid="log-first-error" onClick={firstError} title={`First line matching ${errorPatterns.join(' | ')}`}>
          First error
        </button>
        <label>
          <input type="checkbox" data-testid="log-wrap" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap
        </label>
        <label>
          <input type="checkbox" data-testid="log-line-numbers" checked={numbers} onChange={(e) => setNumbers(e.target.checked)} /> line
          numbers
        </label>
        {downloadUrl && (
          <a className="button" data-testid="log-download" href={downloadUrl} download={downloadName ?? true}>
            Download
          </a>
        )}
        {!following && (
          <button
            type="button"
            data-testid="log-follow"
            onClick={() => {
              setFollowing(true);
              virtualizer.scrollToIndex(count - 1, { align: 'end' });
            }}
          >
            Follow ↓
          </button>
        )}
      </div>
      {search.error && (
        <div data-testid="log-search-error" style={{ color: '#f85149', fontSize: 11 }}>
          {search.error}
        </div>
      )}
      <div
        ref={box}
        data-testid="log-text"
        data-following={following}
        data-lines={count}
        role="log"
        aria-label="Log output"
        tabIndex={-1}
        style={{
          flex: 1,
          minHeight: 0,
          overflow: 'auto',
          background: colors.bg,
          color: colors.text,
          border: `1px solid ${colors.border}`,
          borderRadius: 4,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 12,
          lineHeight: `${ROW_PX}px`,
          position: 'relative',
        }}
      >
        {truncated && (
          <div style={{ color: colors.gutter, padding: '0 8px', position: 'sticky', top: 0, background: colors.bg, zIndex: 1 }}>
            … earlier output not shown: line numbers count from the first line loaded (download for the whole log)
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%', width: wrap ? '100%' : 'max-content' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const n = row.index + 1;
            return (
              <div
                key={row.key}
                data-index={row.index}
                data-line={n}
                data-selected={selected === row.index || undefined}
                ref={wrap ? virtualizer.measureElement : undefined}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  minWidth: '100%',
                  width: wrap ? '100%' : undefined,
                  transform: `translateY(${row.start}px)`,
                  display: 'flex',
                  background: selected === row.index ? colors.sel : undefined,
                  height: wrap ? undefined : ROW_PX,
                }}
              >
                {numbers && (
                  <button
                    type="button"
                    aria-label={`Line ${n}: link to it`}
                    onClick={() => {
                      setSelected(row.index);
                      setFollowing(false);
                      onLineSelect?.(n);
                    }}
                    style={{
                      all: 'unset',
                      cursor: 'pointer',
                      flex: 'none',
                      width: gutterWidth,
                      textAlign: 'right',
                      paddingRight: 10,
                      color: colors.gutter,
                      userSelect: 'none',
                    }}
                  >
                    {n}
                  </button>
                )}
                <span
                  style={{
                    whiteSpace: wrap ? 'pre-wrap' : 'pre',
                    wordBreak: wrap ? 'break-all' : undefined,
                    paddingLeft: numbers ? 0 : 8,
                    paddingRight: 8,
                  }}
                >
                  <LogLine line={lines.lines[row.index] ?? ''} search={search.regex} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div data-testid="log-status" style={{ fontSize: 11, color: colors.gutter, padding: '0 2px' }}>
        {status}
        {` · ${count.toLocaleString('en')} lines`}
        {!following && ' · scrolled up, not following'}
        {notice && ` · ${notice}`}
      </div>
    </div>
  );
}
