import { AppError, ERROR_CODES, jobSpecSchema } from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import { errorResponse, TRPC_CODES, toAppError } from '../src/server/appErrors';

describe('errors leaving the web', () => {
  it('map every AppError code to a tRPC code', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(TRPC_CODES[code as keyof typeof ERROR_CODES]).toEqual(expect.any(String));
  });

  it('turn a schema failure into VALIDATION with every field at fault in the message', () => {
    const result = jobSpecSchema.safeParse({ name: 'x', show: 's', user: 'u', layers: [{ name: 'r', command: '', range: '1-x' }] });
    const error = toAppError(result.error);
    expect(error.code).toBe('VALIDATION');
    expect(error.fields.map((f) => f.path)).toEqual(['layers[0].command', 'layers[0].range']);
    expect(error.message).toMatch(/^layers\[0\]\.command: .*; layers\[0\]\.range: Frame range '1-x'/);
  });

  const statuses: { error: unknown; status: number; code: string }[] = [
    { error: new AppError('NOT_FOUND', 'no job'), status: 404, code: 'NOT_FOUND' },
    { error: new AppError('FORBIDDEN', 'outside'), status: 403, code: 'FORBIDDEN' },
    { error: new SyntaxError('Unexpected end of JSON input'), status: 400, code: 'VALIDATION' },
  ];
  for (const s of statuses) {
    it(`answer ${s.code} with HTTP ${s.status} and a JSON body`, async () => {
      const res = errorResponse(s.error);
      expect(res.status).toBe(s.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(s.code);
    });
  }
});
