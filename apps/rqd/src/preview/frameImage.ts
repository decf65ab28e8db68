/**
 * One finished frame → a web image (JPEG, at most PREVIEW_MAX_WIDTH wide) and the black/empty
 * check, in one ffmpeg run: the image goes to a file, a 64×64 grey copy to stdout, whose mean
 * and spread say whether the frame is black (mean luma under BLACK_MEAN_LUMA) or empty (one flat
 * colour). A missing file, or one ffmpeg cannot decode (truncated), is a result with a reason.
 */
import fs from 'node:fs/promises';
import { BLACK_MEAN_LUMA, FLAT_STDDEV, type MediaStatus, PREVIEW_MAX_WIDTH } from '@farmhand/contracts';
import { ffmpeg } from './ffmpeg';

export interface FrameImage {
  status: MediaStatus;
  reason: string | null;
  meanLuma: number | null;
  width: number | null;
  height: number | null;
}

const GREY = 64;

export async function makeFrameImage(source: string, sourceRel: string, out: string): Promise<FrameImage> {
  const stat = await fs.stat(source).catch(() => null);
  if (!stat?.isFile()) return { status: 'MISSING', reason: `no image at ${sourceRel}`, meanLuma: null, width: null, height: null };
  if (stat.size === 0) return { status: 'MISSING', reason: `${sourceRel} is empty (0 bytes)`, meanLuma: null, width: null, height: null };
  const tmp = `${out}.${process.pid}.tmp.jpg`;
  let grey: Buffer;
  try {
    grey = await ffmpeg([
      '-i',
      source,
      '-filter_complex',
      `[0:v]split=2[a][b];[a]scale='min(${PREVIEW_MAX_WIDTH},trunc(iw/2)*2)':-2[web];[b]scale=${GREY}:${GREY},format=gray[g]`,
      '-map',
      '[web]',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-f',
      'image2',
      tmp,
      '-map',
      '[g]',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      'pipe:1',
    ]);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    return { status: 'ERROR', reason: `${sourceRel} cannot be read: ${(e as Error).message}`, meanLuma: null, width: null, height: null };
  }
  if (grey.length < GREY * GREY) {
    await fs.rm(tmp, { force: true });
    return { status: 'ERROR', reason: `${sourceRel} decoded to no picture (truncated?)`, meanLuma: null, width: null, height: null };
  }
  await fs.rename(tmp, out);
  const { mean, stddev } = lumaStats(grey);
  const size = await jpegSize(out);
  const meanLuma = Math.round(mean * 100) / 100;
  if (mean < BLACK_MEAN_LUMA) return { status: 'BLACK', reason: `black: mean luma ${meanLuma} of 255`, meanLuma, ...size };
  if (stddev < FLAT_STDDEV) return { status: 'BLACK', reason: `empty: one flat colour (luma ${meanLuma})`, meanLuma, ...size };
  return { status: 'READY', reason: null, meanLuma, ...size };
}

export function lumaStats(grey: Uint8Array): { mean: number; stddev: number } {
  let sum = 0;
  let squares = 0;
  for (const v of grey) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / grey.length;
  return { mean, stddev: Math.sqrt(Math.max(0, squares / grey.length - mean * mean)) };
}

/** Width and height from a JPEG's SOF marker (the image we just wrote), without another process. */
async function jpegSize(file: string): Promise<{ width: number | null; height: number | null }> {
  const b = await fs.readFile(file);
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { width: null, height: null };
    const marker = b[i + 1] as number;
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  return { width: null, height: null };
}
