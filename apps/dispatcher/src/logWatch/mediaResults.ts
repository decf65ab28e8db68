/**
 * A preview frame's result line (`farmhand-media {…}`), checked and stored as the render
 * frame's MediaFrame row. Only a PREVIEW layer's frames are read, and only results for a render
 * layer of the same job are taken: another job's log cannot forge a frame's media state.
 */
import { MEDIA_RESULT_PREFIX, type MediaResult, mediaResultSchema } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';
import type { MemJob, MemLayer } from '../farm/model';

export function parseMediaLine(line: string, job: MemJob, layers: ReadonlyMap<string, MemLayer>): MediaResult | null {
  const at = line.indexOf(MEDIA_RESULT_PREFIX);
  if (at !== 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(MEDIA_RESULT_PREFIX.length));
  } catch {
    return null;
  }
  const parsed = mediaResultSchema.safeParse(json);
  if (!parsed.success) return null;
  const layer = layers.get(parsed.data.layerId);
  return layer && layer.jobId === job.id ? parsed.data : null;
}

export async function storeMediaResult(d: Dispatcher, r: MediaResult): Promise<void> {
  const data = { status: r.status, reason: r.reason, image: r.image, meanLuma: r.meanLuma };
  await d.db.mediaFrame.upsert({
    where: { layerId_number: { layerId: r.layerId, number: r.number } },
    create: { layerId: r.layerId, number: r.number, ...data },
    update: data,
  });
}
