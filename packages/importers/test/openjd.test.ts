import { describe, expect, it } from 'vitest';
import { formatProblem, type ImportResult, importOpenJd } from '../src';
import { expandIntRange, expandParameterSpace } from '../src/openjd/parameterSpace';
import { fixture } from './support';

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result;
}

describe('an OpenJD job template', () => {
  const { text, options } = fixture('openjd/shot.yaml');
  const job = ok(importOpenJd(text, options)).submission.jobs[0]!;
  const layer = (name: string) => job.layers.find((l) => l.name === name);

  it('is one job named from its format string with the job parameters resolved', () => {
    expect(job.name).toBe('Render_sh010');
    expect(job.comment).toMatch(/per camera/);
  });

  it('makes one layer per step and per value of the task parameters other than the frame', () => {
    expect(job.layers.map((l) => [l.name, l.range])).toEqual([
      ['Preflight', '1'],
      ['Render-left', '1-4'],
      ['Render-right', '1-4'],
      ['Comp-beauty', '1'],
      ['Comp-shadow', '3'],
    ]);
  });

  it('turns step dependencies into layer-on-layer depends on every layer of the step', () => {
    expect(layer('Render-left')?.dependsOn).toEqual(['Preflight']);
    expect(layer('Comp-shadow')?.dependsOn).toEqual(['Render-left', 'Render-right']);
  });

  it('books host requirements (vcpu, memory) and the onRun timeout', () => {
    expect(layer('Render-left')).toMatchObject({ cores: 4, memoryMb: 8192, timeoutMinutes: 30 });
  });

  it('writes embedded files with their task values and runs environments around onRun', () => {
    const command = layer('Render-right')?.command ?? '';
    expect(command).toContain("printf '%s' 'echo render right frame #FRAME# q2\n' > \"$FARMHAND_SESSION\"/run");
    expect(command).toContain('chmod +x "$FARMHAND_SESSION"/run');
    expect(command.indexOf('echo entering sh010')).toBeLessThan(command.indexOf('"$FARMHAND_SESSION/run"'));
    expect(command).toContain("trap 'echo leaving' EXIT");
    expect(layer('Render-left')?.env).toEqual({ OCIO: '/studio/aces.ocio', SHOT: 'sh010' });
  });

  it('takes job parameter overrides over the defaults', () => {
    const r = ok(importOpenJd(text, { ...options, parameters: { Shot: 'sh020', Frames: '10-20:5' } }));
    expect(r.submission.jobs[0]?.name).toBe('Render_sh020');
    expect(r.submission.jobs[0]?.layers[1]?.range).toBe('10,15,20');
  });

  const refusals: { name: string; parameters?: Record<string, string>; edit?: (t: string) => string; path: RegExp; line?: number }[] = [
    { name: 'a parameter outside its bounds', parameters: { Quality: '9' }, path: /parameterDefinitions\[2\]/, line: 11 },
    { name: 'an override of a parameter the template lacks', parameters: { Nope: '1' }, path: /parameterDefinitions/ },
    {
      name: 'another specification version',
      edit: (t) => t.replace('jobtemplate-2023-09', 'jobtemplate-2099-01'),
      path: /specificationVersion/,
      line: 1,
    },
    {
      name: 'a combination naming an unknown parameter',
      edit: (t) => t.replace('Frame * Camera', 'Frame * Lens'),
      path: /steps\[1\]\.parameterSpace\.combination/,
    },
    {
      name: 'a host OS other than Linux',
      edit: (t) => t.replace('anyOf: [linux]', 'anyOf: [windows]'),
      path: /hostRequirements\.attributes\[0\]/,
    },
    {
      name: 'a dependency on a step that does not exist',
      edit: (t) => t.replace('dependsOn: Render', 'dependsOn: Light'),
      path: /steps\[2\]\.dependencies\[0\]\.dependsOn/,
    },
  ];
  it.each(refusals)('refuses $name, naming its path and line', ({ parameters, edit, path, line }) => {
    const r = importOpenJd(edit ? edit(text) : text, { ...options, ...(parameters ? { parameters } : {}) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => path.test(e.construct));
    expect(hit, r.errors.map(formatProblem).join('\n')).toBeDefined();
    expect(hit?.line).toBeGreaterThan(0);
    if (line) expect(hit?.line).toBe(line);
  });
});

describe('OpenJD parameter spaces', () => {
  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['1-10:3', [1, 4, 7, 10]],
    ['5-1', [5, 4, 3, 2, 1]],
    ['1,3,7-8', [1, 3, 7, 8]],
    ['-2-1', [-2, -1, 0, 1]],
  ])('expands the range expression %s', (expr, frames) => {
    expect(expandIntRange(expr)).toEqual(frames);
  });

  it('pairs every value in a product and values in order in an association', () => {
    const values = new Map<string, (string | number)[]>([
      ['F', [1, 2]],
      ['C', ['a', 'b']],
      ['P', ['x', 'y']],
    ]);
    expect(expandParameterSpace(values, 'F * (C, P)')).toEqual([
      { F: 1, C: 'a', P: 'x' },
      { F: 1, C: 'b', P: 'y' },
      { F: 2, C: 'a', P: 'x' },
      { F: 2, C: 'b', P: 'y' },
    ]);
    expect(expandParameterSpace(values, undefined)).toHaveLength(8);
    expect(() =>
      expandParameterSpace(
        new Map([
          ['F', [1, 2]],
          ['C', ['a']],
        ]),
        '(F, C)',
      ),
    ).toThrow(/equal length/);
  });
});
