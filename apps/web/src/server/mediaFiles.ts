/**
 * Serving files from under the media root (web images, HLS playlists and segments): the path
 * is refused when absolute or with `..` (contracts' mediaPathError) and when, links followed,
 * it leads outside the root. The rqd preview tool applies the same rule (apps/rqd preview/mediaPath).
 * Only previews are served (`previews/<job id>/…`), to those who may read that job.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, mediaPathError } from '@farmhand/contracts';
import { authorize } from './auth/authorize';
import { authenticate } from './auth/request';
import { authOf, type WebDeps } from './deps';

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

/** The job a media path belongs to (`previews/<job id>/…`); anything else is not served. */
export function mediaJob(rel: string): string {
  const job = /^previews\/([^/]+)\/./.exec(rel)?.[1];
  if (!job)
    throw new AppError('FORBIDDEN', `only previews are served (previews/<job id>/…), not '${rel}'`, [
      { path: 'path', message: 'not a preview' },
    ]);
  return job;
}

/** GET /api/media/<rel>: who asks may read the job the preview belongs to; then the file, from under the root. */
export async function serveMedia(deps: WebDeps, req: Request, root: string, rel: string): Promise<Response> {
  const problem = mediaPathError(rel);
  if (problem) throw new AppError('VALIDATION', `media path ${problem}`, [{ path: 'path', message: problem }]);
  const job = mediaJob(rel);
  const db = await deps.db();
  const auth = await authenticate(req, db, authOf(deps));
  await authorize(db, auth, { access: 'job.read', target: () => ({ job }) }, 'GET /api/media', {});
  return mediaResponse(root, rel);
}
