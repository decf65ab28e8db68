/**
 * A running stack for the CLI's round trips: the web farm of the web's tests (fresh database,
 * the real dispatcher, real rqd hosts) behind a real HTTP server that mounts the same handlers
 * Next does for /api/v1 and /api/openapi.json; and `farmhand`, the CLI run in process with its
 * output captured.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Provider } from '@farmhand/db';
import { openApiDocument } from '../../web/src/server/api/openapi';
import { handleApiV1 } from '../../web/src/server/api/router';
import { postJob } from '../../web/src/server/rest';
import { startWebFarm, type WebFarm } from '../../web/test/support/farm';
import { run } from '../src/program';

export interface Stack {
  farm: WebFarm;
  url: string;
  stop(): Promise<void>;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a fetch-style handler (Request in, Response out — what Next mounts) over real HTTP on
 * an ephemeral port. Hand-written: Next is not started in these tests, and this is the few
 * lines that turn Node's request into a Request and the Response back.
 */
export async function serve(handle: (request: Request) => Promise<Response>): Promise<Served> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body && req.method !== 'GET' ? { body } : {}),
    });
    const response = await handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function startStack(provider: Provider): Promise<Stack> {
  const farm = await startWebFarm(provider);
  const served = await serve((request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/openapi.json') return Promise.resolve(Response.json(openApiDocument()));
    if (path === '/api/v1/jobs' && request.method === 'POST') return postJob(farm.deps, request);
    return handleApiV1(farm.deps, request);
  });
  return {
    farm,
    url: served.url,
    async stop() {
      await served.close();
      await farm.stop();
    },
  };
}

/** Runs `farmhand <args>` in process, as a TD's shell would, and keeps what it printed. */
export async function farmhand(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t), write: (c) => out.push(c) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
