/**
 * HLS segments and the EVENT playlist of one preview folder. The shot's frame list is cut into
 * segments of PREVIEW_SEGMENT_FRAMES; a segment is encoded (H.264 in MPEG-TS, every segment
 * starting on a keyframe, no B-frames so times map to frames exactly) by whichever preview frame
 * completes it. The playlist lists the segments present from the first one on, in order, so it
 * only ever grows (an EVENT playlist); it ends with ENDLIST once every segment exists. Frames
 * after a missing segment are shown by the player from their own images meanwhile.
 * Several hosts may finish frames of one layer at once: a segment is claimed with an exclusive
 * lock directory, files appear by rename, and the playlist is rewritten under a lock.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { framePath, PREVIEW_FPS, PREVIEW_SEGMENT_FRAMES, previewFiles } from '@farmhand/contracts';
import { ffmpeg } from './ffmpeg';

export interface FrameResultFile {
  status: string;
  width: number | null;
  height: number | null;
}

const STALE_LOCK_MS = 5 * 60_000;

async function tryLock(dir: string): Promise<boolean> {
  try {
    await fs.mkdir(dir);
    return true;
  } catch {
    const stat = await fs.stat(dir).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
      await fs.rm(dir, { recursive: true, force: true });
      return tryLock(dir);
    }
    return false;
  }
}

async function withLock<T>(dir: string, fn: () => Promise<T>, waitMs = 20_000): Promise<T> {
  const until = Date.now() + waitMs;
  while (!(await tryLock(dir))) {
    if (Date.now() > until) throw new Error(`${dir} stays locked`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function segmentOf(frames: readonly number[], frame: number): number {
  return Math.floor(frames.indexOf(frame) / PREVIEW_SEGMENT_FRAMES);
}

async function readResult(dir: string, frame: number): Promise<FrameResultFile | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, previewFiles.result(frame)), 'utf8')) as FrameResultFile;
  } catch {
    return null;
  }
}

/** Encodes segment `index` when every frame of it has a result; answers whether it exists now. */
export async function encodeSegmentIfComplete(dir: string, frames: readonly number[], index: number): Promise<boolean> {
  const out = path.join(dir, previewFiles.segment(index));
  if (await fs.stat(out).catch(() => null)) return true;
  const members = frames.slice(index * PREVIEW_SEGMENT_FRAMES, (index + 1) * PREVIEW_SEGMENT_FRAMES);
  const results = await Promise.all(members.map((f) => readResult(dir, f)));
  if (results.some((r) => r === null)) return false;
  const lock = `${out}.lock`;
  if (!(await tryLock(lock))) return false; // another host encodes it
  try {
    const sized = results.find((r) => r?.width && r.height);
    const width = sized?.width ?? 320;
    const height = sized?.height ?? 180;
    const work = await fs.mkdtemp(path.join(dir, '.seg-'));
    try {
      // The segment's pictures in order; a frame without an image (missing, unreadable) is grey —
      // one grey picture made for the segment (one ffmpeg run), linked for each such frame.
      let grey: string | null = null;
      for (const [i, f] of members.entries()) {
        const r = results[i];
        const link = path.join(work, `${framePath('#####', i)}.jpg`);
        if (r?.status === 'READY' || r?.status === 'BLACK') await fs.symlink(path.join(dir, previewFiles.image(f)), link);
        else {
          if (!grey) {
            grey = path.join(work, 'grey.jpg');
            await ffmpeg(['-f', 'lavfi', '-i', `color=c=0x404040:s=${width}x${height}`, '-frames:v', '1', grey]);
          }
          await fs.symlink(grey, link);
        }
      }
      const tmp = `${out}.${process.pid}.tmp`;
      await ffmpeg([
        '-framerate',
        String(PREVIEW_FPS),
        '-start_number',
        '0',
        '-i',
        path.join(work, '%05d.jpg'),
        '-vf',
        `scale=${width}:${height},format=yuv420p`,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '23',
        '-bf',
        '0',
        '-g',
        String(PREVIEW_SEGMENT_FRAMES),
        '-sc_threshold',
        '0',
        '-output_ts_offset',
        String((index * PREVIEW_SEGMENT_FRAMES) / PREVIEW_FPS),
        '-muxdelay',
        '0',
        '-muxpreload',
        '0',
        '-f',
        'mpegts',
        tmp,
      ]);
      await fs.rename(tmp, out);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
  return true;
}

/** The playlist text for the segments present from the first on. */
export function playlistText(frames: readonly number[], present: number): string {
  const total = Math.ceil(frames.length / PREVIEW_SEGMENT_FRAMES);
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    `#EXT-X-TARGETDURATION:${Math.ceil(PREVIEW_SEGMENT_FRAMES / PREVIEW_FPS)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
  ];
  for (let i = 0; i < present; i++) {
    const count = Math.min(PREVIEW_SEGMENT_FRAMES, frames.length - i * PREVIEW_SEGMENT_FRAMES);
    lines.push(`#EXTINF:${(count / PREVIEW_FPS).toFixed(6)},`, previewFiles.segment(i));
  }
  if (present === total) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** Rewrites the playlist with every segment present from the first on (never fewer than before). */
export async function updatePlaylist(dir: string, frames: readonly number[]): Promise<number> {
  return withLock(path.join(dir, 'playlist.lock'), async () => {
    const total = Math.ceil(frames.length / PREVIEW_SEGMENT_FRAMES);
    let present = 0;
    while (present < total && (await fs.stat(path.join(dir, previewFiles.segment(present))).catch(() => null))) present++;
    if (present === 0) return 0;
    const file = path.join(dir, previewFiles.playlist);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, playlistText(frames, present));
    await fs.rename(tmp, file);
    return present;
  });
}
