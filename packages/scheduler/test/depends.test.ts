import { AppError } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { DependGraph } from '../src';
import { depJob } from './dependBuilders';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('depends between layers of one job', () => {
  it('LAYER_ON_LAYER: comp waits for every render frame, then all of comp is released at once', () => {
    const j = depJob('shot', { render: ['1-3'], comp: ['1-3'] });
    const g = new DependGraph();
    g.addJob(j.input);
    const added = g.add({ id: 'd', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.render' });
    expect(sorted(added.blocked)).toEqual(j.rows('comp'));
    expect(g.onFrameDone(j.row('render', 1))).toEqual([]);
    expect(g.onFrameDone(j.row('render', 2))).toEqual([]);
    expect(sorted(g.onFrameDone(j.row('render', 3)))).toEqual(j.rows('comp'));
    expect(g.isBlocked(j.row('comp', 1))).toBe(false);
  });

  it('LAYER_ON_LAYER with anyFrame: comp starts when any render frame finishes', () => {
    const j = depJob('shot', { render: ['1-3'], comp: ['1-3'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.render', anyFrame: true });
    expect(sorted(g.onFrameDone(j.row('render', 2)))).toEqual(j.rows('comp'));
  });

  const frameByFrame: [string, [string, number], [string, number], [number[], number, number[]][]][] = [
    // [name, render [range, chunk], comp [range, chunk], steps: [render frames finished, comp frame asked about, released comp frames]]
    [
      'same chunk size: each comp frame waits for its render frame',
      ['1-4', 1],
      ['1-4', 1],
      [
        [[2], 2, [2]],
        [[1], 1, [1]],
      ],
    ],
    [
      'comp in chunks of 5 waits for all five render frames',
      ['1-10', 1],
      ['1-10', 5],
      [
        [[1, 2, 3, 4], 1, []],
        [[5], 1, [1]],
      ],
    ],
    ['render in chunks of 3: comp frame 2 is released by the chunk 1-3', ['1-9', 3], ['1-9', 1], [[[1], 2, [1, 2, 3]]]],
    [
      'misaligned chunks: comp 5-8 waits for render chunks 4-6 and 7-9',
      ['1-9', 3],
      ['1-8', 4],
      [
        [[4], 5, []],
        [[7], 5, [5]],
      ],
    ],
  ];
  it.each(frameByFrame)('FRAME_BY_FRAME, %s', (_name, [rRange, rChunk], [cRange, cChunk], steps) => {
    const j = depJob('shot', { render: [rRange, rChunk], comp: [cRange, cChunk] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd', type: 'FRAME_BY_FRAME', depender: 'shot.comp', on: 'shot.render' });
    for (const [done, asked, released] of steps) {
      const got: number[] = [];
      for (const n of done) got.push(...g.onFrameDone(j.row('render', n)));
      expect(sorted(got)).toEqual(sorted([...new Set(released.map((n) => j.row('comp', n)))]));
      expect(g.isBlocked(j.row('comp', asked))).toBe(released.length === 0);
    }
  });

  it('FRAME_BY_FRAME: a comp frame the render layer does not have waits on nothing', () => {
    const j = depJob('shot', { render: ['1-5'], comp: ['1-10'] });
    const g = new DependGraph();
    g.addJob(j.input);
    const { blocked } = g.add({ id: 'd', type: 'FRAME_BY_FRAME', depender: 'shot.comp', on: 'shot.render' });
    expect(sorted(blocked)).toEqual([1, 2, 3, 4, 5].map((n) => j.row('comp', n)));
    expect(g.isBlocked(j.row('comp', 6))).toBe(false);
  });

  it('PREVIOUS_FRAME on its own layer: a sim runs frame after frame', () => {
    const j = depJob('fx', { sim: ['1-3'] });
    const g = new DependGraph();
    g.addJob(j.input);
    const { blocked } = g.add({ id: 'd', type: 'PREVIOUS_FRAME', depender: 'fx.sim', on: 'fx.sim' });
    expect(sorted(blocked)).toEqual([j.row('sim', 2), j.row('sim', 3)]);
    expect(g.onFrameDone(j.row('sim', 1))).toEqual([j.row('sim', 2)]);
    expect(g.onFrameDone(j.row('sim', 2))).toEqual([j.row('sim', 3)]);
  });

  it('PREVIOUS_FRAME across layers with steps: frame 5 of cache waits on frame 3 of sim (the one before it)', () => {
    const j = depJob('fx', { sim: ['1-9x2'], cache: ['1-9x2'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd', type: 'PREVIOUS_FRAME', depender: 'fx.cache', on: 'fx.sim' });
    expect(g.isBlocked(j.row('cache', 1))).toBe(false);
    expect(g.onFrameDone(j.row('sim', 3))).toEqual([j.row('cache', 5)]);
  });
});

describe('depends between jobs, layers and frames', () => {
  type Case = [
    string,
    string,
    string | ((a: ReturnType<typeof depJob>) => number),
    string | ((b: ReturnType<typeof depJob>) => number),
    string[],
  ];
  // [type, what b's held part is, on (in job a), depender (in job b), a-frames to finish before b is released]
  const cases: Case[] = [
    ['JOB_ON_JOB', 'every frame of job b', 'a', 'b', ['render:1', 'render:2', 'comp:1', 'comp:2']],
    ['JOB_ON_LAYER', 'every frame of job b', 'a.render', 'b', ['render:1', 'render:2']],
    ['JOB_ON_FRAME', 'every frame of job b', (a) => a.row('render', 2), 'b', ['render:2']],
    ['LAYER_ON_JOB', 'layer b.render', 'a', 'b.render', ['render:1', 'render:2', 'comp:1', 'comp:2']],
    ['LAYER_ON_FRAME', 'layer b.render', (a) => a.row('comp', 1), 'b.render', ['comp:1']],
    ['LAYER_ON_SIM_FRAME', 'layer b.render', (a) => a.row('render', 1), 'b.render', ['render:1']],
    ['FRAME_ON_JOB', 'frame 2 of b.render', 'a', (b) => b.row('render', 2), ['render:1', 'render:2', 'comp:1', 'comp:2']],
    ['FRAME_ON_LAYER', 'frame 2 of b.render', 'a.comp', (b) => b.row('render', 2), ['comp:1', 'comp:2']],
    ['FRAME_ON_FRAME', 'frame 2 of b.render', (a) => a.row('comp', 2), (b) => b.row('render', 2), ['comp:2']],
  ];
  it.each(cases)('%s holds %s until what it waits on finishes', (type, _held, on, depender, order) => {
    const a = depJob('a', { render: ['1-2'], comp: ['1-2'] });
    const b = depJob('b', { render: ['1-2'], comp: ['1-2'] });
    const g = new DependGraph();
    g.addJob(a.input);
    g.addJob(b.input);
    const { blocked } = g.add({
      id: 'd',
      type: type as never,
      on: typeof on === 'function' ? on(a) : on,
      depender: typeof depender === 'function' ? depender(b) : depender,
    });
    expect(blocked.length).toBeGreaterThan(0);
    const released: number[] = [];
    order.forEach((step, i) => {
      const [layer, n] = step.split(':') as [string, string];
      released.push(...g.onFrameDone(a.row(layer, Number(n))));
      if (i < order.length - 1) expect(released).toEqual([]);
    });
    expect(sorted(released)).toEqual(sorted(blocked));
    expect(blocked.every((id) => !g.isBlocked(id))).toBe(true);
  });

  it('JOB_ON_JOB with anyFrame: job b starts when any frame of job a finishes', () => {
    const a = depJob('a', { render: ['1-5'] });
    const b = depJob('b', { render: ['1-3'] });
    const g = new DependGraph();
    g.addJob(a.input);
    g.addJob(b.input);
    g.add({ id: 'd', type: 'JOB_ON_JOB', depender: 'b', on: 'a', anyFrame: true });
    expect(sorted(g.onFrameDone(a.row('render', 4)))).toEqual(b.rows('render'));
  });
});

describe('releasing and holding', () => {
  it('a frame held by two depends runs only when both are satisfied', () => {
    const j = depJob('shot', { render: ['1-2'], sim: ['1-2'], comp: ['1-2'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd1', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.render' });
    g.add({ id: 'd2', type: 'FRAME_BY_FRAME', depender: 'shot.comp', on: 'shot.sim' });
    expect(g.onFrameDone(j.row('sim', 1))).toEqual([]);
    expect(g.onLayerDone('shot.render')).toEqual([j.row('comp', 1)]);
    expect(g.onFrameDone(j.row('sim', 2))).toEqual([j.row('comp', 2)]);
  });

  it('a depend on something already finished holds nothing', () => {
    const j = depJob('shot', { render: ['1-2'], comp: ['1-2'] });
    const g = new DependGraph();
    g.addJob({
      ...j.input,
      layers: j.input.layers.map((l) => (l.name === 'render' ? { ...l, frames: l.frames.map((f) => ({ ...f, done: true })) } : l)),
    });
    expect(g.add({ id: 'd', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.render' }).blocked).toEqual([]);
    expect(g.isBlocked(j.row('comp', 1))).toBe(false);
  });

  it('a wrangler satisfying a depend by hand releases what it held', () => {
    const j = depJob('shot', { render: ['1-3'], comp: ['1-3'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd', type: 'FRAME_BY_FRAME', depender: 'shot.comp', on: 'shot.render' });
    g.onFrameDone(j.row('render', 1));
    expect(sorted(g.satisfy('d'))).toEqual([j.row('comp', 2), j.row('comp', 3)]);
    expect(g.onFrameDone(j.row('render', 2))).toEqual([]);
  });

  it('eating a layer releases the frames waiting frame by frame on it', () => {
    const j = depJob('shot', { render: ['1-3'], comp: ['1-3'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd', type: 'FRAME_BY_FRAME', depender: 'shot.comp', on: 'shot.render' });
    expect(sorted(g.onLayerDone('shot.render'))).toEqual(j.rows('comp'));
  });

  it('killing a job releases the jobs waiting on it', () => {
    const a = depJob('a', { render: ['1-100'] });
    const b = depJob('b', { render: ['1-2'] });
    const g = new DependGraph();
    g.addJob(a.input);
    g.addJob(b.input);
    g.add({ id: 'd', type: 'JOB_ON_JOB', depender: 'b', on: 'a' });
    expect(sorted(g.onJobDone('a'))).toEqual(b.rows('render'));
  });

  it('a finished job can be forgotten; what still waited on it is released', () => {
    const a = depJob('a', { render: ['1-2'] });
    const b = depJob('b', { render: ['1-2'] });
    const g = new DependGraph();
    g.addJob(a.input);
    g.addJob(b.input);
    g.add({ id: 'd', type: 'JOB_ON_JOB', depender: 'b', on: 'a' });
    expect(sorted(g.removeJob('a'))).toEqual(b.rows('render'));
    expect(g.isBlocked(a.row('render', 1))).toBe(false);
  });
});

describe('explaining and refusing depends', () => {
  it('names the layer and frames a frame waits on', () => {
    const j = depJob('shot', { sim: ['1-10'], render: ['1-10', 10], comp: ['1-10'] });
    const g = new DependGraph();
    g.addJob(j.input);
    g.add({ id: 'd1', type: 'FRAME_BY_FRAME', depender: 'shot.render', on: 'shot.sim' });
    g.add({ id: 'd2', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.render' });
    g.onFrameDone(j.row('sim', 3));
    expect(g.blockers(j.row('render', 1))).toEqual([
      { dependId: 'd1', type: 'FRAME_BY_FRAME', reason: "waiting on layer 'sim' frames 1-2,4-10" },
    ]);
    expect(g.blockers(j.row('comp', 5))).toEqual([
      { dependId: 'd2', type: 'LAYER_ON_LAYER', reason: "waiting on layer 'render' frames 1-10" },
    ]);
  });

  it('names the other job when the wait crosses jobs', () => {
    const a = depJob('lighting', { render: ['1-4'] });
    const b = depJob('comp', { comp: ['1-4'] });
    const g = new DependGraph();
    g.addJob(a.input);
    g.addJob(b.input);
    g.add({ id: 'd', type: 'JOB_ON_JOB', depender: 'comp', on: 'lighting' });
    expect(g.blockers(b.row('comp', 1))[0]?.reason).toBe("waiting on job 'lighting' (4 frames still to finish)");
  });

  const refusals: [string, Parameters<DependGraph['add']>[0], string][] = [
    [
      'an unknown layer',
      { id: 'd', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.ghost' },
      "waits on layer 'shot.ghost', which is not in the depend graph",
    ],
    [
      'a layer waiting on itself',
      { id: 'd', type: 'LAYER_ON_LAYER', depender: 'shot.comp', on: 'shot.comp' },
      "would make layer 'comp' wait on itself",
    ],
    [
      'a job waiting on its own layer',
      { id: 'd', type: 'JOB_ON_LAYER', depender: 'shot', on: 'shot.comp' },
      "would make job 'shot' wait on itself",
    ],
  ];
  it.each(refusals)('refuses %s', (_name, depend, message) => {
    const g = new DependGraph();
    g.addJob(depJob('shot', { comp: ['1-2'] }).input);
    expect(() => g.add(depend)).toThrow(AppError);
    expect(() => g.add(depend)).toThrow(message);
  });
});
