/**
 * Preview layers: a render layer that says where it writes images (`outputPath`) gets a PREVIEW
 * layer, added at submission, that depends FRAME_BY_FRAME on it and runs on the farm like any
 * layer. Each of its frames runs `farmhand-preview` (shipped with rqd, on the frame's PATH), which
 * makes the web image, checks for a black or empty frame and grows the layer's HLS playlist.
 */
import { type JobSpec, type LayerSpec, previewLayerName } from '@farmhand/contracts';

const generated = new WeakMap<LayerSpec, string>();

/** The render layer a generated preview layer belongs to, or undefined. */
export function previewOf(layer: LayerSpec): string | undefined {
  return generated.get(layer);
}

/** The spec with a preview layer after each layer that has an output path (none when one is already named so). */
export function withPreviewLayers(spec: JobSpec): JobSpec {
  const names = new Set(spec.layers.map((l) => l.name));
  const layers: LayerSpec[] = [];
  for (const l of spec.layers) {
    layers.push(l);
    const name = previewLayerName(l.name);
    if (!l.outputPath || l.type === 'PREVIEW' || names.has(name)) continue;
    const preview: LayerSpec = {
      name,
      type: 'PREVIEW',
      command: 'farmhand-preview',
      range: l.range,
      chunk: 1,
      cores: 1,
      threadable: false,
      memoryMb: 512,
      gpus: 0,
      gpuMemoryMb: 0,
      tags: l.tags,
      limits: [],
      env: {},
      dependsOn: [],
    };
    generated.set(preview, l.name);
    layers.push(preview);
  }
  return layers.length === spec.layers.length ? spec : { ...spec, layers };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The preview frame's command; `#FRAME#` is rqd's token for the frame number. */
export function previewCommand(jobId: string, renderLayerId: string, outputPath: string, range: string): string {
  return `farmhand-preview --job ${quote(jobId)} --layer ${quote(renderLayerId)} --output ${quote(outputPath)} --range ${quote(range)} --frame #FRAME#`;
}
