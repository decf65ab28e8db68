/**
 * A job's frames packed column by column for the browser: 100,000 frames as objects are
 * ~31 MB of JSON (every row repeats its keys, job id and layer id); as columns, with layers,
 * states and hosts as small indexes, ~5 MB — a shorter transfer and a much shorter JSON.parse,
 * which is most of the time a job page with many frames takes to show them. Pure: the server
 * packs (`jobs.getPacked`), the browser unpacks into the same FrameRow objects `jobs.get` has.
 */
import { FRAME_STATES, type FrameState } from '@farmhand/contracts';
import type { FrameRow } from './jobs';

export interface PackedFrames {
  jobId: string;
  layerIds: string[];
  layerNames: string[];
  hostNames: string[];
  /** Per frame, in the read's order. */
  layer: number[];
  id: number[];
  number: number[];
  /** The chunk's frame list, null when it is just `number` (chunk 1). */
  frames: (string | null)[];
  state: number[];
  retries: number[];
  attempt: number[];
  exitStatus: (number | null)[];
  /** Index into hostNames, -1 for none. */
  host: number[];
  startedAt: (string | null)[];
  stoppedAt: (string | null)[];
  maxRssMb: number[];
  cpuSeconds: number[];
  /** Only the frames with a media verdict: [frame index, verdict]. */
  media: [number, { status: string; reason: string | null }][];
}

function indexer(): { of: (value: string) => number; values: string[] } {
  const values: string[] = [];
  const at = new Map<string, number>();
  return {
    values,
    of(value) {
      let i = at.get(value);
      if (i === undefined) {
        i = values.length;
        values.push(value);
        at.set(value, i);
      }
      return i;
    },
  };
}

const STATE_INDEX = new Map<string, number>(FRAME_STATES.map((s, i) => [s, i]));

export function packFrames(jobId: string, rows: readonly FrameRow[]): PackedFrames {
  const layers = indexer();
  const layerNames: string[] = [];
  const hosts = indexer();
  const p: PackedFrames = {
    jobId,
    layerIds: layers.values,
    layerNames,
    hostNames: hosts.values,
    layer: [],
    id: [],
    number: [],
    frames: [],
    state: [],
    retries: [],
    attempt: [],
    exitStatus: [],
    host: [],
    startedAt: [],
    stoppedAt: [],
    maxRssMb: [],
    cpuSeconds: [],
    media: [],
  };
  rows.forEach((f, i) => {
    const layer = layers.of(f.layerId);
    layerNames[layer] = f.layerName;
    p.layer.push(layer);
    p.id.push(f.id);
    p.number.push(f.number);
    p.frames.push(f.frames === String(f.number) ? null : f.frames);
    p.state.push(STATE_INDEX.get(f.state) ?? 0);
    p.retries.push(f.retries);
    p.attempt.push(f.attempt);
    p.exitStatus.push(f.exitStatus);
    p.host.push(f.hostName === null ? -1 : hosts.of(f.hostName));
    p.startedAt.push(f.startedAt);
    p.stoppedAt.push(f.stoppedAt);
    p.maxRssMb.push(f.maxRssMb);
    p.cpuSeconds.push(f.cpuSeconds);
    if (f.media) p.media.push([i, f.media]);
  });
  return p;
}

export function unpackFrames(p: PackedFrames): FrameRow[] {
  const media = new Map(p.media);
  const rows: FrameRow[] = new Array(p.id.length);
  for (let i = 0; i < p.id.length; i++) {
    const layer = p.layer[i] ?? 0;
    const number = p.number[i] ?? 0;
    const host = p.host[i] ?? -1;
    rows[i] = {
      id: p.id[i] ?? 0,
      jobId: p.jobId,
      layerId: p.layerIds[layer] ?? '',
      layerName: p.layerNames[layer] ?? '',
      number,
      frames: p.frames[i] ?? String(number),
      state: (FRAME_STATES[p.state[i] ?? 0] ?? 'WAITING') as FrameState,
      retries: p.retries[i] ?? 0,
      attempt: p.attempt[i] ?? 0,
      exitStatus: p.exitStatus[i] ?? null,
      hostName: host < 0 ? null : (p.hostNames[host] ?? null),
      startedAt: p.startedAt[i] ?? null,
      stoppedAt: p.stoppedAt[i] ?? null,
      maxRssMb: p.maxRssMb[i] ?? 0,
      cpuSeconds: p.cpuSeconds[i] ?? 0,
      media: media.get(i) ?? null,
    };
  }
  return rows;
}
