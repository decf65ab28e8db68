/**
 * Depend release: a 10,000-frame render layer with a comp layer waiting frame by frame and a
 * preview layer (chunks of 10) waiting frame by frame too; time onFrameDone for single render
 * frames. Also times the last render frame releasing a 10,000-frame layer-on-layer depender.
 */
import { DependGraph } from '../src';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function benchDepends(sampleHeap: () => void): { releaseUs: number; layerReleaseMs: number; description: string } {
  const size = 10_000;
  const g = new DependGraph();
  let id = 1;
  const rows = (n: number, chunk: number) =>
    Array.from({ length: Math.ceil(n / chunk) }, (_, i) => ({
      id: id++,
      numbers: Array.from({ length: Math.min(chunk, n - i * chunk) }, (_, k) => i * chunk + k + 1),
    }));
  const render = rows(size, 1);
  g.addJob({
    id: 'shot',
    name: 'shot',
    layers: [
      { id: 'render', name: 'render', frames: render },
      { id: 'comp', name: 'comp', frames: rows(size, 1) },
      { id: 'preview', name: 'preview', frames: rows(size, 10) },
      { id: 'archive', name: 'archive', frames: rows(size, 1) },
    ],
  });
  g.add({ id: 'fbf', type: 'FRAME_BY_FRAME', depender: 'comp', on: 'render' });
  g.add({ id: 'fbf10', type: 'FRAME_BY_FRAME', depender: 'preview', on: 'render' });
  g.add({ id: 'lol', type: 'LAYER_ON_LAYER', depender: 'archive', on: 'render' });
  sampleHeap();
  const times: number[] = [];
  let released = 0;
  for (let i = 0; i < size - 1; i++) {
    const t = performance.now();
    released += g.onFrameDone((render[i] as { id: number }).id).length;
    times.push((performance.now() - t) * 1000);
  }
  const t = performance.now();
  const last = g.onFrameDone((render[size - 1] as { id: number }).id).length;
  const layerReleaseMs = performance.now() - t;
  return {
    releaseUs: median(times),
    layerReleaseMs,
    description: `${size.toLocaleString('en-US')}-frame layer, one frame done releases its comp frame; ${released} released by ${size - 1} frames, then the last frame released ${last} frames in ${layerReleaseMs.toFixed(2)} ms`,
  };
}
