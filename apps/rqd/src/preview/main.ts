/**
 * `farmhand-preview`: the command of a PREVIEW layer's frame (see apps/dispatcher previewLayers).
 *   farmhand-preview --job <id> --layer <render layer id> --output <pattern> --range <frames> --frame <n>
 * Reads the render frame's image under the media root (FARMHAND_MEDIA_ROOT, else
 * `<FARMHAND_DATA_DIR>/media`), writes the web image and its result under
 * `previews/<job>/<layer>/frames/`, encodes the frame's HLS segment once all its frames are
 * there, grows the playlist, and prints the result as its last line (`farmhand-media {…}`),
 * which the dispatcher stores as the frame's MediaFrame row. A missing or unreadable image is a
 * result (MISSING / ERROR with the reason), not a failed frame; a path leaving the media root is
 * a failed frame.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  framePath,
  loadSettings,
  MEDIA_RESULT_PREFIX,
  type MediaResult,
  PREVIEW_SEGMENT_FRAMES,
  parseFrameRange,
  previewDir,
  previewFiles,
} from '@farmhand/contracts';
import { makeFrameImage } from './frameImage';
import { resolveMediaPath } from './mediaPath';
import { encodeSegmentIfComplete, segmentOf, updatePlaylist } from './segments';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      job: { type: 'string' },
      layer: { type: 'string' },
      output: { type: 'string' },
      range: { type: 'string' },
      frame: { type: 'string' },
    },
  });
  const { job, layer, output, range } = values;
  const frame = Number(values.frame);
  if (!job || !layer || !output || !range || !Number.isInteger(frame))
    throw new Error('usage: farmhand-preview --job <id> --layer <id> --output <pattern> --range <frames> --frame <n>');
  const root = loadSettings(process.env).mediaRoot;
  const frames = parseFrameRange(range);
  if (!frames.includes(frame)) throw new Error(`frame ${frame} is not in the range ${range}`);

  const sourceRel = framePath(output, frame);
  const source = await resolveMediaPath(root, sourceRel);
  const dirRel = previewDir(job, layer);
  const dir = await resolveMediaPath(root, dirRel);
  await fs.mkdir(path.join(dir, 'frames'), { recursive: true });
  console.log(`preview of frame ${frame}: ${sourceRel} (media root ${root})`);

  const image = await makeFrameImage(source, sourceRel, path.join(dir, previewFiles.image(frame)));
  const result: MediaResult = {
    layerId: layer,
    number: frame,
    status: image.status,
    reason: image.reason,
    image: image.status === 'READY' || image.status === 'BLACK' ? `${dirRel}/${previewFiles.image(frame)}` : null,
    meanLuma: image.meanLuma,
  };
  const resultFile = path.join(dir, previewFiles.result(frame));
  await fs.writeFile(`${resultFile}.tmp`, JSON.stringify({ ...result, width: image.width, height: image.height }));
  await fs.rename(`${resultFile}.tmp`, resultFile);
  console.log(`${image.status}${image.reason ? `: ${image.reason}` : ''}`);

  const segment = segmentOf(frames, frame);
  if (await encodeSegmentIfComplete(dir, frames, segment)) {
    const present = await updatePlaylist(dir, frames);
    console.log(`segment ${segment} encoded; the playlist has ${present} of ${Math.ceil(frames.length / PREVIEW_SEGMENT_FRAMES)} segments`);
  } else console.log(`segment ${segment} waits for more frames`);
  console.log(`${MEDIA_RESULT_PREFIX}${JSON.stringify(result)}`);
}

main().catch((e: unknown) => {
  console.error(`farmhand-preview: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
