/**
 * Runs a request under /api/v1 through the endpoint list: matches method and path, validates
 * the query and body with the endpoint's own schemas, calls it, and answers JSON (or the
 * Response a handler made itself). Errors leave through the one error mapping.
 */
import { AppError } from '@farmhand/contracts';
import { errorResponse } from '../appErrors';
import { authorize, visibleJobs } from '../auth/authorize';
import { authenticate, checkCsrf } from '../auth/request';
import { authOf, type WebDeps } from '../deps';
import { ENDPOINTS, type Endpoint, type RawCall } from './endpoints';

export const API_PREFIX = '/api/v1';

interface Route {
  endpoint: Endpoint;
  pattern: RegExp;
  names: string[];
}

const ROUTES: Route[] = ENDPOINTS.map((endpoint) => {
  const names: string[] = [];
  const source = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { endpoint, pattern: new RegExp(`^${source}/?$`), names };
});

export async function handleApiV1(deps: WebDeps, req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m !== null);
    if (matches.length === 0) throw new AppError('NOT_FOUND', `There is no API endpoint ${API_PREFIX}${path}; see /api/openapi.json`);
    const hit = matches.find((x) => x.r.endpoint.method === req.method);
    if (!hit) {
      const allowed = matches.map((x) => x.r.endpoint.method).join(', ');
      return Response.json(
        { error: { code: 'VALIDATION', message: `${req.method} is not allowed on ${API_PREFIX}${path}; use ${allowed}`, fields: [] } },
        { status: 405, headers: { allow: allowed } },
      );
    }
    const { endpoint, names } = hit.r;
    // Who asks, before the body is even read: no sign-in, no parsing.
    const db = await deps.db();
    const authState = await authenticate(req, db, authOf(deps));
    if (endpoint.access !== 'public' && !authState.actor)
      throw new AppError('UNAUTHORIZED', authState.refused ?? 'Sign in first: send an API token as Authorization: Bearer <token>');
    if (endpoint.method === 'POST') checkCsrf(req, authState);
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(hit.m?.[i + 1] ?? '')]));
    const query = endpoint.query ? endpoint.query.parse(Object.fromEntries(url.searchParams)) : {};
    let body: unknown;
    if (endpoint.method === 'POST') {
      const text = await req.text();
      if (endpoint.textBody) body = text;
      else {
        const json: unknown = text.trim() === '' ? {} : JSON.parse(text);
        body = endpoint.body ? endpoint.body.parse(json) : json;
      }
    }
    const raw: RawCall = { params, query, body };
    await authorize(db, authState, endpoint, `${endpoint.method} ${API_PREFIX}${endpoint.path}`, raw);
    const actor = authState.actor;
    const result = await endpoint.handle({
      deps,
      req,
      params,
      query,
      body,
      user: actor?.name ?? 'anonymous',
      actor,
      visible: visibleJobs(actor),
      authorize: (access, target) => authorize(db, authState, { access, target: () => target }, endpoint.path, raw),
    });
    if (result instanceof Response) return result;
    return Response.json(result, { status: endpoint.status ?? 200, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
