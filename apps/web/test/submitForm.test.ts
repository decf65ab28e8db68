import { describe, expect, it } from 'vitest';
import { describeRange, INITIAL_VALUES, placeErrors, type SubmitValues, validate } from '../src/components/submit/submitForm';

const filled: SubmitValues = { ...INITIAL_VALUES, name: 'sh010_light', show: 'sandbox', user: 'alice' };

describe('the submit form', () => {
  const ranges: { range: string; chunk: string; ok: boolean; text: RegExp }[] = [
    { range: '1-10', chunk: '1', ok: true, text: /^10 frames$/ },
    { range: '1', chunk: '1', ok: true, text: /^1 frame$/ },
    { range: '1-100x5', chunk: '1', ok: true, text: /^20 frames$/ },
    { range: '1-100', chunk: '8', ok: true, text: /^100 frames in 13 chunks$/ },
    { range: '1-10x0', chunk: '1', ok: false, text: /step after x must be a positive integer/ },
    { range: '1-', chunk: '1', ok: false, text: /position 3/ },
    { range: '', chunk: '1', ok: false, text: /required/ },
  ];
  for (const r of ranges) {
    it(`shows '${r.range}' (chunk ${r.chunk}) as ${r.ok ? 'a frame count' : 'an error'} while typing`, () => {
      const shown = describeRange(r.range, r.chunk);
      expect(shown.ok).toBe(r.ok);
      expect(shown.text).toMatch(r.text);
    });
  }

  it('builds a job spec of one layer that the shared schema accepts', () => {
    const { spec, errors } = validate(filled);
    expect(errors).toEqual({});
    expect(spec).toMatchObject({ name: 'sh010_light', show: 'sandbox', user: 'alice', maxRetries: 3 });
    expect(spec.layers[0]).toMatchObject({ name: 'render', range: '1-10', chunk: 1, cores: 1, memoryMb: 1024 });
  });

  const invalid: { name: string; change: Partial<SubmitValues>; field: keyof SubmitValues; says: RegExp }[] = [
    { name: 'an empty job name', change: { name: '' }, field: 'name', says: /required/ },
    { name: 'an empty command', change: { command: ' ' }, field: 'command', says: /required/ },
    { name: 'a bad frame range', change: { range: '1-10x0' }, field: 'range', says: /positive integer/ },
    { name: 'a chunk of zero', change: { chunk: '0' }, field: 'chunk', says: /at least 1/ },
    { name: 'memory that is not a number', change: { memoryMb: 'lots' }, field: 'memoryMb', says: /'lots' is not a number/ },
    { name: 'negative retries', change: { maxRetries: '-1' }, field: 'maxRetries', says: /0 or more/ },
  ];
  for (const c of invalid) {
    it(`puts the error for ${c.name} on the ${c.field} field`, () => {
      expect(validate({ ...filled, ...c.change }).errors[c.field]).toMatch(c.says);
    });
  }

  it('places server field errors by path, and unknown paths on the form', () => {
    expect(
      placeErrors([
        { path: 'show', message: "there is no show named 'x'" },
        { path: 'layers[0].range', message: 'bad' },
        { path: 'layers[0].limits[0]', message: "limit 'maya' does not exist" },
      ]),
    ).toEqual({ show: "there is no show named 'x'", range: 'bad', form: "layers[0].limits[0]: limit 'maya' does not exist" });
  });
});
