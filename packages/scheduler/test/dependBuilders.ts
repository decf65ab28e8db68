/** Builders for depend-graph tests: jobs from frame ranges and chunk sizes, as submitted. */
import { chunkFrames, parseFrameRange } from '@farmhand/contracts';
import type { DependJobInput } from '../src';

export interface BuiltJob {
  input: DependJobInput;
  /** The row id rendering `frame` of layer `layer`. */
  row: (layer: string, frame: number) => number;
  rows: (layer: string) => number[];
}

let nextRowId = 1;

/** `layers`: name → [range, chunk size]. Layer ids are `${job}.${name}`. */
export function depJob(id: string, layers: Record<string, [string, number?]>): BuiltJob {
  const byLayer = new Map<string, Map<number, number>>();
  const rowIds = new Map<string, number[]>();
  const input: DependJobInput = {
    id,
    name: id,
    layers: Object.entries(layers).map(([name, [range, chunk = 1]]) => {
      const numbers = new Map<number, number>();
      const frames = chunkFrames(parseFrameRange(range), chunk).map((c) => {
        const rowId = nextRowId++;
        for (const n of c.frames) numbers.set(n, rowId);
        return { id: rowId, numbers: c.frames };
      });
      byLayer.set(name, numbers);
      rowIds.set(
        name,
        frames.map((f) => f.id),
      );
      return { id: `${id}.${name}`, name, frames };
    }),
  };
  return {
    input,
    row: (layer, frame) => {
      const rowId = byLayer.get(layer)?.get(frame);
      if (rowId === undefined) throw new Error(`test data: no frame ${frame} in layer ${layer}`);
      return rowId;
    },
    rows: (layer) => rowIds.get(layer) ?? [],
  };
}
