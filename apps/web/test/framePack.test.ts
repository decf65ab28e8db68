/** Packing a job's frames by column loses nothing: unpacked, every frame is as the server read it. */
import { FRAME_STATES } from '@farmhand/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packFrames, unpackFrames } from '../src/server/services/framePack';
import type { FrameRow } from '../src/server/services/jobs';

const layers = [
  { layerId: 'l-render', layerName: 'render' },
  { layerId: 'l-comp', layerName: 'comp' },
];

const frameRow = fc.record({
  id: fc.integer({ min: 1, max: 10_000_000 }),
  layer: fc.constantFrom(...layers),
  number: fc.integer({ min: -100, max: 100_000 }),
  chunked: fc.option(fc.constantFrom('1-5', '1,3,5', '10-20x2'), { nil: null }),
  state: fc.constantFrom(...FRAME_STATES),
  retries: fc.nat(10),
  attempt: fc.nat(10),
  exitStatus: fc.option(fc.integer({ min: -9, max: 255 }), { nil: null }),
  hostName: fc.option(fc.constantFrom('node01', 'node02', 'gpu-7'), { nil: null }),
  startedAt: fc.option(fc.constant('2026-12-02T04:00:00.000Z'), { nil: null }),
  stoppedAt: fc.option(fc.constant('2026-12-02T04:01:00.000Z'), { nil: null }),
  maxRssMb: fc.nat(100_000),
  cpuSeconds: fc.nat(100_000),
  media: fc.option(fc.record({ status: fc.constantFrom('BLACK', 'MISSING'), reason: fc.option(fc.string(), { nil: null }) }), {
    nil: null,
  }),
});

type Arbitrary = typeof frameRow extends fc.Arbitrary<infer T> ? T : never;

function toRow({ layer, chunked, ...rest }: Arbitrary): FrameRow {
  return { ...rest, jobId: 'job-1', layerId: layer.layerId, layerName: layer.layerName, frames: chunked ?? String(rest.number) };
}

describe('frames packed by column', () => {
  it('unpack(pack(frames)) gives back every frame as it was, in order', () => {
    fc.assert(
      fc.property(fc.array(frameRow, { maxLength: 60 }), (arbitrary) => {
        const rows = arbitrary.map(toRow);
        expect(unpackFrames(JSON.parse(JSON.stringify(packFrames('job-1', rows))))).toEqual(rows);
      }),
    );
  });

  it('100,000 plain frames take a fraction of the JSON their objects take', () => {
    const rows: FrameRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      id: 1_000_000 + i,
      jobId: '794d680d-4fde-4282-bbf7-9e6376759b20',
      layerId: 'a1b2c3d4-4fde-4282-bbf7-9e6376759b20',
      layerName: 'render',
      number: i + 1,
      frames: String(i + 1),
      state: 'WAITING',
      retries: 0,
      attempt: 0,
      exitStatus: null,
      hostName: null,
      startedAt: null,
      stoppedAt: null,
      maxRssMb: 0,
      cpuSeconds: 0,
      media: null,
    }));
    const packed = JSON.stringify(packFrames(rows[0]?.jobId ?? '', rows)).length;
    expect(packed).toBeLessThan(JSON.stringify(rows).length / 4);
  });
});
