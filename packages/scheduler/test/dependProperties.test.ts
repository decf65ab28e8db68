/**
 * The depend graph against a naive oracle that recomputes, from scratch, which frames wait:
 * after every completion, eat, kill or manual satisfy, the graph must agree on every frame,
 * and report as released exactly the frames that stopped waiting.
 */
import { DEPEND_TYPES, type DependType } from '@farmhand/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEPEND_KINDS, type Depend, DependGraph, type DependJobInput } from '../src';

interface Row {
  id: number;
  numbers: number[];
  layer: string;
  job: string;
}

const farmArb = fc.record({
  jobs: fc.array(
    fc.array(fc.record({ frames: fc.integer({ min: 1, max: 8 }), chunk: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  depends: fc.array(fc.record({ type: fc.constantFrom(...DEPEND_TYPES), a: fc.nat(), b: fc.nat(), anyFrame: fc.boolean() }), {
    maxLength: 6,
  }),
  steps: fc.array(fc.record({ kind: fc.constantFrom('frame', 'frame', 'frame', 'frame', 'layer', 'job', 'satisfy'), pick: fc.nat() }), {
    maxLength: 30,
  }),
});

function build(jobs: { frames: number; chunk: number }[][]): { inputs: DependJobInput[]; rows: Row[] } {
  let id = 1;
  const rows: Row[] = [];
  const inputs = jobs.map((layers, j) => ({
    id: `j${j}`,
    name: `j${j}`,
    layers: layers.map((l, k) => {
      const layerId = `j${j}.l${k}`;
      const frames = [];
      for (let n = 1; n <= l.frames; n += l.chunk) {
        const numbers = Array.from({ length: Math.min(l.chunk, l.frames - n + 1) }, (_, i) => n + i);
        const row = { id: id++, numbers, layer: layerId, job: `j${j}` };
        rows.push(row);
        frames.push({ id: row.id, numbers });
      }
      return { id: layerId, name: `l${k}`, frames };
    }),
  }));
  return { inputs, rows };
}

function oracleBlocked(
  rows: Row[],
  depends: Depend[],
  done: Set<number>,
  satisfied: Set<string>,
  born: Map<string, Set<number>>,
): Set<number> {
  const of = (kind: string, key: string | number) =>
    rows.filter((r) => (kind === 'job' ? r.job === key : kind === 'layer' ? r.layer === key : r.id === key));
  const blocked = new Set<number>();
  for (const d of depends) {
    if (satisfied.has(d.id)) continue;
    const kinds = DEPEND_KINDS[d.type];
    const dependers = of(kinds.depender, d.depender);
    if (!kinds.perFrame) {
      const targets = of(kinds.on, d.on);
      const finished = d.anyFrame && kinds.on !== 'frame' ? targets.some((t) => done.has(t.id)) : targets.every((t) => done.has(t.id));
      if (!finished) for (const r of dependers) blocked.add(r.id);
      continue;
    }
    const on = of('layer', d.on);
    for (const r of dependers) {
      let targets: Row[];
      if (d.type === 'FRAME_BY_FRAME') targets = on.filter((t) => t !== r && t.numbers.some((n) => r.numbers.includes(n)));
      else {
        const first = Math.min(...r.numbers);
        const prev = Math.max(...on.flatMap((t) => t.numbers).filter((n) => n < first));
        targets = on.filter((t) => t !== r && t.numbers.includes(prev));
      }
      // Links are made only to frames not yet done when the depend was added.
      const linked = targets.filter((t) => !(born.get(d.id) as Set<number>).has(t.id));
      if (linked.some((t) => !done.has(t.id))) blocked.add(r.id);
    }
  }
  for (const id of done) blocked.delete(id);
  return blocked;
}

describe('the depend graph agrees with a naive oracle', () => {
  it('on which frames wait, and on what each step releases', () => {
    fc.assert(
      fc.property(farmArb, ({ jobs, depends: wanted, steps }) => {
        const { inputs, rows } = build(jobs);
        const g = new DependGraph();
        for (const input of inputs) g.addJob(input);
        const layers = inputs.flatMap((j) => j.layers.map((l) => l.id));
        const pickKey = (kind: string, n: number): string | number =>
          kind === 'job'
            ? (inputs[n % inputs.length]?.id as string)
            : kind === 'layer'
              ? (layers[n % layers.length] as string)
              : (rows[n % rows.length]?.id as number);
        const done = new Set<number>();
        const satisfied = new Set<string>();
        const born = new Map<string, Set<number>>();
        const depends: Depend[] = [];
        let blockedBefore = oracleBlocked(rows, depends, done, satisfied, born);
        wanted.forEach((w, i) => {
          const kinds = DEPEND_KINDS[w.type as DependType];
          const d: Depend = {
            id: `d${i}`,
            type: w.type,
            depender: pickKey(kinds.depender, w.a),
            on: pickKey(kinds.on, w.b),
            anyFrame: w.anyFrame && kinds.on !== 'frame',
          };
          try {
            g.add(d);
          } catch {
            return; // refused (would wait on itself): the oracle does not get it either
          }
          depends.push(d);
          born.set(d.id, new Set(done));
        });
        blockedBefore = oracleBlocked(rows, depends, done, satisfied, born);
        for (const r of rows) expect(g.isBlocked(r.id)).toBe(blockedBefore.has(r.id));

        for (const step of steps) {
          let released: number[];
          if (step.kind === 'frame') {
            const row = rows[step.pick % rows.length] as Row;
            released = g.onFrameDone(row.id);
            done.add(row.id);
          } else if (step.kind === 'layer') {
            const layer = layers[step.pick % layers.length] as string;
            released = g.onLayerDone(layer);
            for (const r of rows) if (r.layer === layer) done.add(r.id);
          } else if (step.kind === 'job') {
            const job = inputs[step.pick % inputs.length]?.id as string;
            released = g.onJobDone(job);
            for (const r of rows) if (r.job === job) done.add(r.id);
          } else {
            const d = depends[step.pick % Math.max(1, depends.length)];
            if (!d) continue;
            released = g.satisfy(d.id);
            satisfied.add(d.id);
          }
          const blockedAfter = oracleBlocked(rows, depends, done, satisfied, born);
          for (const r of rows) expect(g.isBlocked(r.id), `row ${r.id} after ${step.kind}`).toBe(blockedAfter.has(r.id));
          const expected = [...blockedBefore].filter((id) => !blockedAfter.has(id) && !done.has(id));
          expect([...released].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          blockedBefore = blockedAfter;
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
