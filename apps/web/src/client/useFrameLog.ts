'use client';
/**
 * A frame attempt's log as the log panel shows it: join the attempt's live room first, then
 * read the file's tail from the log endpoint, then append only the streamed bytes past what
 * was read (LogJoin does the byte bookkeeping). A gap in the stream is filled from the file;
 * when the attempt ends, the file is read once more past the last byte seen, so the end of
 * the log is never lost between the read and the join.
 */
import { type LogChunk, liveRoom } from '@farmhand/contracts';
import { LogJoin } from '@farmhand/ui';
import { useEffect, useRef, useState } from 'react';
import { useLiveConnection } from './live';

/** The viewer starts with at most this much of the file's end; a frame log can be gigabytes. */
const TAIL_BYTES = 2 * 1024 * 1024;

export interface FrameLogView {
  text: string;
  truncated: boolean;
  status: string;
  error: string | null;
}

function rangeStart(response: Response): number {
  const m = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : 0;
}

/** Reads part of the log: `bytes=…` as an HTTP range, or `from` for everything past a byte. */
async function readLog(
  frameId: number,
  attempt: number,
  part: { range: string } | { from: number },
): Promise<{ offset: number; bytes: Uint8Array } | null> {
  const url = `/api/v1/frames/${frameId}/log?attempt=${attempt}${'from' in part ? `&offset=${part.from}` : ''}`;
  const response = await fetch(url, { headers: 'range' in part ? { range: part.range } : {}, cache: 'no-store' });
  if (response.status === 416) return null;
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The log could not be read (HTTP ${response.status})`);
  }
  const offset = response.status === 206 ? rangeStart(response) : Number(response.headers.get('x-log-offset') ?? 0);
  return { offset, bytes: new Uint8Array(await response.arrayBuffer()) };
}

export function useFrameLog(frameId: number | null, attempt: number | null, running: boolean): FrameLogView {
  const live = useLiveConnection();
  const join = useRef<LogJoin | null>(null);
  const [view, setView] = useState<FrameLogView>({ text: '', truncated: false, status: '', error: null });
  const frame = useRef<number | null>(null);
  /** The key of the attempt whose file has been read, so the end-of-attempt read waits for it. */
  const [readKey, setReadKey] = useState<string | null>(null);

  useEffect(() => {
    if (frameId === null || attempt === null) return;
    const log = new LogJoin();
    join.current = log;
    let cancelled = false;
    let fillingGap = false;
    const render = (status: string, error: string | null = null) => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        if (!cancelled) setView({ text: log.text, truncated: log.startsAt > 0, status, error });
      });
    };
    const fillGap = async () => {
      const gap = log.missing();
      if (!gap || fillingGap) return;
      fillingGap = true;
      try {
        const part = await readLog(frameId, attempt, { range: `bytes=${gap.from}-${gap.to}` });
        if (part && !cancelled) log.readFile(part.offset, part.bytes);
      } finally {
        fillingGap = false;
      }
      if (!cancelled) {
        render('following live');
        void fillGap();
      }
    };
    const room = liveRoom.log(frameId, attempt);
    const off = live?.listen({
      log: (chunks: LogChunk[]) => {
        let changed = false;
        for (const c of chunks) {
          if (c.frameId !== frameId || c.attempt !== attempt) continue;
          if (log.chunk(c.offset, c.data) !== 'duplicate') changed = true;
        }
        if (changed && log.ready) {
          render('following live');
          void fillGap();
        }
      },
    });
    setView({ text: '', truncated: false, status: 'reading the log…', error: null });
    void (async () => {
      try {
        if (live) await live.join(room);
        const tail = await readLog(frameId, attempt, { range: `bytes=-${TAIL_BYTES}` });
        if (cancelled) return;
        log.readFile(tail?.offset ?? 0, tail?.bytes ?? new Uint8Array());
        setReadKey(`${frameId}:${attempt}`);
        render(live ? 'following live' : 'live updates unavailable');
        void fillGap();
      } catch (e) {
        if (!cancelled) render('', e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      off?.();
      if (live) live.leave(room);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [frameId, attempt, live]);

  // When the attempt ends, read past the last byte seen: output written between the file read
  // and the room join, or dropped by a reconnect, is in the file.
  useEffect(() => {
    const log = join.current;
    if (running || readKey !== `${frameId}:${attempt}` || frameId === null || attempt === null || !log?.ready) return;
    let cancelled = false;
    void readLog(frameId, attempt, { from: log.bytesRead })
      .then((rest) => {
        if (cancelled || join.current !== log) return;
        if (rest) log.readFile(rest.offset, rest.bytes);
        setView({ text: log.text, truncated: log.startsAt > 0, status: 'attempt finished', error: null });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [running, frameId, attempt, readKey]);

  return view;
}
