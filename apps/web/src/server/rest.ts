/**
 * Plain REST handlers for scripts, calling the same services as tRPC so the two never drift.
 * Each handler is a function of the Request (and route params) to a Response, usable from a
 * Next route file or directly in a test.
 */
import { AppError } from '@farmhand/contracts';
import { errorResponse } from './appErrors';
import type { WebDeps } from './deps';
import { submitJob } from './services/commands';
import { farmHealth } from './services/health';
import { getJob } from './services/jobs';
import { readFrameLog } from './services/logs';

async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(error);
  }
}

/** GET /api/health */
export function getHealth(deps: WebDeps): Promise<Response> {
  return guarded(async () => {
    const health = await farmHealth(await deps.db(), deps.dispatcherUrl);
    return Response.json(health, { status: 200, headers: { 'cache-control': 'no-store' } });
  });
}

/** POST /api/v1/jobs: a job spec → 201 `{id}`; 202 with `id: null` when the dispatcher is down and the submission waits. */
export function postJob(deps: WebDeps, req: Request, recordAs?: string): Promise<Response> {
  return guarded(async () => {
    const spec: unknown = await req.json();
    const answer = await submitJob({ db: await deps.db(), dispatcherUrl: deps.dispatcherUrl, user: recordAs }, spec);
    const body = { id: answer.jobId, commandId: answer.id, status: answer.status, message: answer.message };
    return Response.json(body, {
      status: answer.jobId ? 201 : 202,
      headers: answer.jobId ? { location: `/api/v1/jobs/${answer.jobId}` } : {},
    });
  });
}

/** GET /api/v1/jobs/{id}: the job, its layers, its frames. */
export function getJobById(deps: WebDeps, id: string): Promise<Response> {
  return guarded(async () => {
    const detail = await getJob(await deps.db(), id);
    return Response.json({ ...detail.job, layers: detail.layers, frames: detail.frames }, { headers: { 'cache-control': 'no-store' } });
  });
}

/** A non-negative whole number from the query string, or undefined when absent. */
function wholeNumber(params: URLSearchParams, name: string, min: number): number | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min)
    throw new AppError('VALIDATION', `${name} '${text}' is not valid: use a whole number from ${min}`, [
      { path: name, message: `must be a whole number from ${min}` },
    ]);
  return value;
}

/** GET /api/v1/frames/{id}/log?attempt=N[&offset=K] with Range support. */
export function getFrameLog(deps: WebDeps, req: Request, frameIdText: string): Promise<Response> {
  return guarded(async () => {
    const frameId = Number(frameIdText);
    if (!Number.isSafeInteger(frameId))
      throw new AppError('VALIDATION', `Frame id '${frameIdText}' is not a number`, [{ path: 'id', message: 'must be a number' }]);
    const params = new URL(req.url).searchParams;
    const attempt = wholeNumber(params, 'attempt', 1);
    const offset = wholeNumber(params, 'offset', 0);
    return readFrameLog(await deps.db(), deps.logRoot, { frameId, attempt, offset, range: req.headers.get('range') });
  });
}
