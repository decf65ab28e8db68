import { describe, expect, it } from 'vitest';
import { formatProblem, type ImportResult, importOpenCue } from '../src';
import { fixture } from './support';

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result;
}

describe('an OpenCue job spec', () => {
  const { text } = fixture('opencue/shot.xml');
  const result = ok(importOpenCue(text, { fileName: 'shot.xml' }));
  const [render, comp] = result.submission.jobs;

  it('becomes one job per <job>, with the spec’s show, shot and user', () => {
    expect(result.submission.jobs.map((j) => [j.name, j.show, j.shot, j.user, j.priority, j.maxRetries])).toEqual([
      ['render', 'sandbox', 'sh010', 'alice', 50, 2],
      ['comp', 'sandbox', 'sh010', 'alice', 100, 3],
    ]);
  });

  it('reads each layer: command, range, chunk, cores, memory, GPUs, tags, limits, timeout, env over the job’s, output', () => {
    expect(render?.layers[0]).toMatchObject({
      name: 'sim',
      type: 'UTIL',
      command: 'houdini -f #IFRAME#',
      range: '1-10',
      chunk: 5,
      cores: 2,
      memoryMb: 4096,
    });
    expect(render?.layers[1]).toMatchObject({
      name: 'beauty',
      type: 'RENDER',
      range: '1-100x2',
      cores: 8,
      threadable: true,
      memoryMb: 16384,
      gpus: 1,
      gpuMemoryMb: 8192,
      timeoutMinutes: 120,
      tags: ['general', 'gpu'],
      limits: ['arnold'],
      env: { OCIO: '/studio/aces.ocio', PASS: 'beauty' },
      outputPath: 'shots/sh010/beauty.#.exr',
    });
    expect(comp?.layers[0]).toMatchObject({ memoryMb: 2048 });
  });

  it('makes LAYER_ON_LAYER within a job the layer’s dependsOn, and a depend between jobs a submission depend', () => {
    expect(render?.layers[1]?.dependsOn).toEqual(['sim']);
    expect(result.submission.depends).toEqual([{ job: 'comp', onJob: 'render', onLayer: 'beauty' }]);
  });

  it('warns of what Farmhand runs differently (services, facility)', () => {
    expect(result.warnings.map((w) => [w.line, w.construct])).toEqual([
      [4, '<facility>'],
      [45, '<services>'],
    ]);
  });

  const refusals: { name: string; edit: (t: string) => string; construct: RegExp; line: number }[] = [
    {
      name: 'a FRAME_BY_FRAME depend',
      edit: (t) => t.replace('"JOB_ON_LAYER"', '"FRAME_BY_FRAME"'),
      construct: /FRAME_BY_FRAME/,
      line: 56,
    },
    { name: 'an anyframe depend', edit: (t) => t.replace('anyframe="False"', 'anyframe="True"'), construct: /depend/, line: 50 },
    { name: 'autoeat', edit: (t) => t.replace('<autoeat>False', '<autoeat>True'), construct: /autoeat/, line: 12 },
    {
      name: 'an element Farmhand does not know',
      edit: (t) => t.replace('<chunk>5</chunk>', '<chunk>5</chunk><frobnicate/>'),
      construct: /frobnicate/,
      line: 18,
    },
    {
      name: 'a bad frame range',
      edit: (t) => t.replace('<range>1-10</range>', '<range>1-10x0</range>'),
      construct: /jobs\[0\]\.layers\[0\]\.range/,
      line: 15,
    },
    { name: 'broken XML', edit: (t) => t.replace('</cores>', '</core>'), construct: /XML/, line: 19 },
  ];
  it.each(refusals)('refuses $name at line $line', ({ edit, construct, line }) => {
    const r = importOpenCue(edit(text), { fileName: 'shot.xml' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => construct.test(e.construct));
    expect(hit, r.errors.map(formatProblem).join('\n')).toBeDefined();
    expect(hit?.line).toBe(line);
  });
});
