/**
 * Serving a frame attempt's log file: the path comes from the FrameAttempt row, relative to
 * the log root, and anything that resolves outside the root is refused. Supports one HTTP
 * byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) so a viewer can read the tail, or the
 * bytes between what it read and what the live stream sent.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError, formatFrameList } from '@farmhand/contracts';
import type { Database } from '../db';

/** The log root joined with a relative log path; throws FORBIDDEN when it leaves the root. */
export async function resolveLogFile(logRoot: string, logPath: string): Promise<string> {
  const root = path.resolve(logRoot);
  const file = path.resolve(root, logPath);
  const inside = (p: string, r: string) => {
    const rel = path.relative(r, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(file, root)) throw new AppError('FORBIDDEN', `The log path '${logPath}' is outside the log root; it is not served`);
  // A symlink inside the root may still point out of it.
  const realRoot = await fs.realpath(root).catch(() => root);
  const realFile = await fs.realpath(file).catch(() => null);
  if (realFile !== null && !inside(realFile, realRoot))
    throw new AppError('FORBIDDEN', `The log path '${logPath}' leads outside the log root; it is not served`);
  return file;
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses one `Range: bytes=…` against a file of `size` bytes; null when absent (the whole file). */
export function parseRange(header: string | null, size: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === ''))
    throw new AppError('VALIDATION', `Range '${header}' is not supported: use bytes=start-end, bytes=start- or bytes=-count`);
  if (m[1] === '') {
    const count = Number(m[2]);
    if (count === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - count), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface LogRequest {
  frameId: number;
  /** Absent: the latest attempt. */
  attempt?: number | undefined;
  range: string | null;
  /**
   * Everything from this byte on, answered 200 even when there is nothing new (a follower
   * asking "anything past what I have?" gets an empty body rather than a 416).
   */
  offset?: number | undefined;
}

export async function readFrameLog(db: Database, logRoot: string, req: LogRequest): Promise<Response> {
  const attempts = await db.prisma.frameAttempt.findMany({
    where: { frameId: req.frameId },
    select: { attempt: true, logPath: true },
    orderBy: { attempt: 'asc' },
  });
  const row = req.attempt === undefined ? attempts.at(-1) : attempts.find((a) => a.attempt === req.attempt);
  if (!row) {
    const frame = await db.prisma.frame.findUnique({ where: { id: req.frameId }, select: { id: true } });
    if (!frame) throw new AppError('NOT_FOUND', `There is no frame with id ${req.frameId}`);
    const numbers = attempts.map((a) => a.attempt);
    const have = numbers.length ? `it has attempt${numbers.length > 1 ? 's' : ''} ${formatFrameList(numbers)}` : 'it has not run yet';
    throw new AppError('NOT_FOUND', `Frame ${req.frameId} has no attempt ${req.attempt ?? ''}: ${have}`.replace(' :', ':'), [
      { path: 'attempt', message: have },
    ]);
  }
  const file = await resolveLogFile(logRoot, row.logPath);
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-log-attempt': String(row.attempt),
  };
  const stat = await fs.stat(file).catch(() => null);
  // Booked but not yet written: an empty log the live stream will fill from offset 0.
  if (!stat) return new Response('', { status: 200, headers: { ...headers, 'content-length': '0', 'x-log-missing': '1' } });
  if (req.offset !== undefined) {
    const start = Math.min(req.offset, stat.size);
    const length = stat.size - start;
    const offsetHeaders = { ...headers, 'content-length': String(length), 'x-log-offset': String(start), 'x-log-size': String(stat.size) };
    if (length === 0) return new Response('', { status: 200, headers: offsetHeaders });
    const body = Readable.toWeb(createReadStream(file, { start, end: stat.size - 1 })) as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers: offsetHeaders });
  }
  const range = parseRange(req.range, stat.size);
  if (range === 'unsatisfiable') {
    if (stat.size === 0) return new Response('', { status: 200, headers: { ...headers, 'content-length': '0' } });
    return new Response('', { status: 416, headers: { ...headers, 'content-range': `bytes */${stat.size}` } });
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  const length = Math.max(0, end - start + 1);
  if (length === 0) return new Response('', { status: 200, headers: { ...headers, 'content-length': '0' } });
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: range ? 206 : 200,
    headers: { ...headers, 'content-length': String(length), ...(range ? { 'content-range': `bytes ${start}-${end}/${stat.size}` } : {}) },
  });
}
