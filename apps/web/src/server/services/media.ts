/**
 * The frame movie of a job: for each render layer with previews, every frame of the shot in
 * order (so the movie has the shot's full length from the start) with its render state and
 * its preview (web image, black/missing flags), and the HLS playlist once it has a segment.
 * Files are served by the media route (mediaFiles.ts) from under the media root only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type FrameState, type MediaStatus, PREVIEW_FPS, previewDir, previewFiles } from '@farmhand/contracts';
import type { Database } from '../db';

export interface MovieFrame {
  number: number;
  frameId: number;
  state: FrameState;
  attempt: number;
  status: MediaStatus;
  reason: string | null;
  /** URL of the web image, when there is one. */
  image: string | null;
  meanLuma: number | null;
}

export interface MovieLayer {
  layerId: string;
  layerName: string;
  fps: number;
  /** URL of the HLS playlist, null until its first segment exists. */
  playlist: string | null;
  frames: MovieFrame[];
}

/** The URL the web serves a media file at (a path relative to the media root). */
export function mediaUrl(rel: string): string {
  return `/api/media/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

export async function jobMovie(db: Database, mediaRoot: string, jobId: string): Promise<MovieLayer[]> {
  const job = await db.prisma.job.findUnique({
    where: { id: jobId },
    select: { id: true, layers: { where: { outputPath: { not: null } }, orderBy: { index: 'asc' }, select: { id: true, name: true } } },
  });
  if (!job) throw new AppError('NOT_FOUND', `There is no job with id '${jobId}'`, [{ path: 'jobId', message: 'no such job' }]);
  const out: MovieLayer[] = [];
  for (const layer of job.layers) {
    const [frames, media] = await Promise.all([
      db.prisma.frame.findMany({
        where: { layerId: layer.id },
        orderBy: [{ dispatchOrder: 'asc' }, { number: 'asc' }],
        select: { id: true, number: true, frames: true, state: true, attempt: true },
      }),
      db.prisma.mediaFrame.findMany({ where: { layerId: layer.id } }),
    ]);
    const byNumber = new Map(media.map((m) => [m.number, m]));
    const dir = previewDir(job.id, layer.id);
    const hasPlaylist = await fs
      .stat(path.join(mediaRoot, dir, previewFiles.playlist))
      .then(() => true)
      .catch(() => false);
    out.push({
      layerId: layer.id,
      layerName: layer.name,
      fps: PREVIEW_FPS,
      playlist: hasPlaylist ? mediaUrl(`${dir}/${previewFiles.playlist}`) : null,
      // One row per chunk: the movie shows the chunk's first frame for it (chunked renders are rare for previews).
      frames: frames
        .sort((a, b) => a.number - b.number)
        .map((f) => {
          const m = byNumber.get(f.number);
          return {
            number: f.number,
            frameId: f.id,
            state: f.state as FrameState,
            attempt: f.attempt,
            status: (m?.status ?? 'PENDING') as MediaStatus,
            reason: m?.reason ?? null,
            image: m?.image ? mediaUrl(m.image) : null,
            meanLuma: m?.meanLuma ?? null,
          };
        }),
    });
  }
  return out;
}
