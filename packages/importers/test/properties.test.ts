/**
 * Every parser, fed random and mutated files: it never throws, and it either answers a valid
 * submission or problems that each name a line and a construct.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importDagman, importFarmhandSpec, importFile, importOpenCue, importOpenJd } from '../src';
import { fixture } from './support';

function wellFormed(result: ImportResult, lines: number): void {
  if (result.ok) {
    expect(result.submission.jobs.length).toBeGreaterThan(0);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.construct.length).toBeGreaterThan(0);
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.line).toBeGreaterThanOrEqual(0);
    expect(e.line).toBeLessThanOrEqual(lines + 1);
  }
}

/** A file with lines deleted, duplicated, swapped or with characters changed. */
const mutated = (text: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
        fc.record({
          kind: fc.constant('char' as const),
          at: fc.nat(),
          ch: fc.constantFrom('<', '>', '"', "'", ':', '-', ' ', '{', '}', 'x', '0', '\n', '#', '$('),
        }),
      ),
      { maxLength: 6 },
    )
    .map((edits) => {
      let lines = text.split('\n');
      for (const e of edits) {
        const i = e.at % Math.max(1, lines.length);
        if (e.kind === 'delete') lines.splice(i, 1);
        else if (e.kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
        else if (e.kind === 'swap') {
          const j = e.to % Math.max(1, lines.length);
          [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        } else {
          const joined = lines.join('\n');
          const at = e.at % Math.max(1, joined.length);
          lines = (joined.slice(0, at) + e.ch + joined.slice(at + 1)).split('\n');
        }
      }
      return lines.join('\n');
    });

const cases = [
  { name: 'HTCondor DAGMan', file: 'dagman/diamond.dag', parse: importDagman },
  { name: 'OpenJD', file: 'openjd/shot.yaml', parse: importOpenJd },
  { name: 'OpenCue XML', file: 'opencue/shot.xml', parse: importOpenCue },
];

describe.each(cases)('the $name importer', ({ file, parse }) => {
  const { text, options } = fixture(file);
  it('never throws on a mutated file, and every problem names a line and a construct', () => {
    fc.assert(
      fc.property(mutated(text), (input) => wellFormed(parse(input, options), input.split('\n').length)),
      { numRuns: 150 },
    );
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (input) => wellFormed(parse(input, options), input.split('\n').length)),
      { numRuns: 150 },
    );
  });
});

describe('a Farmhand spec file', () => {
  const layer = { name: 'render', command: 'echo #FRAME#', range: '1-10', chunk: 1, cores: 1, memoryMb: 256 };
  const job = { name: 'hello', show: 'sandbox', user: 'alice', layers: [layer, { ...layer, name: 'comp', dependsOn: ['render'] }] };
  const fields = ['name', 'command', 'range', 'chunk', 'cores', 'memoryMb', 'dependsOn'] as const;
  const junk = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -5, max: 5 }), fc.constant(null), fc.constant(0.5), fc.constant([]));

  it('refuses a corrupted layer field with its path and the line it is on', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1 }), fc.constantFrom(...fields), junk, (li, field, value) => {
        const spec = structuredClone(job) as { layers: Record<string, unknown>[] };
        (spec.layers[li] as Record<string, unknown>)[field] = value;
        const text = JSON.stringify(spec, null, 2);
        const r = importFarmhandSpec(text, { fileName: 'spec.json' });
        wellFormed(r, text.split('\n').length);
        if (!r.ok) {
          const hit = r.errors.find((e) => e.construct.startsWith(`jobs[0].layers[${li}]`) || e.construct.startsWith('jobs[0].layers['));
          expect(hit, JSON.stringify(r.errors)).toBeDefined();
          expect(hit?.line).toBeGreaterThan(1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('names the path and line of a bad range in a YAML submission', () => {
    const text = [
      'jobs:',
      '  - name: a',
      '    show: s',
      '    user: u',
      '    layers:',
      '      - name: r',
      '        command: x',
      '        range: 1-10x0',
    ].join('\n');
    const r = importFile(text, { fileName: 'shot.yaml' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ construct: 'jobs[0].layers[0].range', line: 8 });
  });
});
