/**
 * Serving files from under the media root (web images, HLS playlists and segments): the path
 * is refused when absolute or with `..` (contracts' mediaPathError) and when, links followed,
 * it leads outside the root. The rqd preview tool applies the same rule (apps/rqd preview/mediaPath).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, mediaPathError } from '@farmhand/contracts';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** The real path of `rel` under `root`, or an AppError: VALIDATION for a path that may not be used, NOT_FOUND when absent. */
export async function resolveMediaFile(root: string, rel: string): Promise<string> {
  const problem = mediaPathError(rel);
  if (problem) throw new AppError('VALIDATION', `media path ${problem}`, [{ path: 'path', message: problem }]);
  const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
  const real = await fs.realpath(path.resolve(root, rel)).catch(() => null);
  if (!real) throw new AppError('NOT_FOUND', `no media file '${rel}'`, [{ path: 'path', message: 'no such file' }]);
  if (!real.startsWith(realRoot + path.sep))
    throw new AppError('VALIDATION', `media path '${rel}' leads outside the media root`, [
      { path: 'path', message: 'leads outside the media root' },
    ]);
  return real;
}

export async function mediaResponse(root: string, rel: string): Promise<Response> {
  const file = await resolveMediaFile(root, rel);
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new AppError('NOT_FOUND', `'${rel}' is not a file`, [{ path: 'path', message: 'not a file' }]);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(new Uint8Array(await fs.readFile(file)), {
    headers: {
      'content-type': type,
      'content-length': String(stat.size),
      // The playlist grows; images and segments never change once written (they appear by rename).
      'cache-control': type === TYPES['.m3u8'] ? 'no-store' : 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  });
}
