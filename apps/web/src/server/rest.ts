/**
 * Plain REST handlers for scripts, calling the same services as tRPC so the two never drift.
 * Each handler is a function of the Request (and route params) to a Response, usable from a
 * Next route file or directly in a test.
 */
import { AppError } from '@farmhand/contracts';
import { errorResponse } from './appErrors';
import { getDb } from './db';
import { submitJob } from './services/commands';
import { farmHealth } from './services/health';
import { getJob } from './services/jobs';
import { readFrameLog } from './services/logs';
import { getSettings } from './settings';

async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(error);
  }
}

/** GET /api/health */
export function getHealth(): Promise<Response> {
  return guarded(async () => {
    const health = await farmHealth(await getDb(), getSettings().dispatcherUrl);
    return Response.json(health, { status: 200, headers: { 'cache-control': 'no-store' } });
  });
}

/** POST /api/v1/jobs: a job spec → 201 `{id}`; 202 with `id: null` when the dispatcher is down and the submission waits. */
export function postJob(req: Request): Promise<Response> {
  return guarded(async () => {
    const spec: unknown = await req.json();
    const answer = await submitJob({ db: await getDb(), dispatcherUrl: getSettings().dispatcherUrl }, spec);
    const body = { id: answer.jobId, commandId: answer.id, status: answer.status, message: answer.message };
    return Response.json(body, {
      status: answer.jobId ? 201 : 202,
      headers: answer.jobId ? { location: `/api/v1/jobs/${answer.jobId}` } : {},
    });
  });
}

/** GET /api/v1/jobs/{id}: the job, its layers, its frames. */
export function getJobById(id: string): Promise<Response> {
  return guarded(async () => {
    const detail = await getJob(await getDb(), id);
    return Response.json({ ...detail.job, layers: detail.layers, frames: detail.frames }, { headers: { 'cache-control': 'no-store' } });
  });
}

/** GET /api/v1/frames/{id}/log?attempt=N with Range support. */
export function getFrameLog(req: Request, frameIdText: string): Promise<Response> {
  return guarded(async () => {
    const frameId = Number(frameIdText);
    if (!Number.isSafeInteger(frameId))
      throw new AppError('VALIDATION', `Frame id '${frameIdText}' is not a number`, [{ path: 'id', message: 'must be a number' }]);
    const attemptText = new URL(req.url).searchParams.get('attempt');
    const attempt = attemptText === null ? undefined : Number(attemptText);
    if (attempt !== undefined && (!Number.isSafeInteger(attempt) || attempt < 1))
      throw new AppError('VALIDATION', `attempt '${attemptText}' is not valid: use a whole number from 1`, [
        { path: 'attempt', message: 'must be a whole number from 1' },
      ]);
    return readFrameLog(await getDb(), getSettings().logRoot, { frameId, attempt, range: req.headers.get('range') });
  });
}
