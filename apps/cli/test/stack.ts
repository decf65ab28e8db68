/**
 * A running stack for the CLI's round trips: the web farm of the web's tests (fresh database,
 * the real dispatcher, real rqd hosts) behind a real HTTP server that mounts the same handlers
 * Next does for /api/v1 and /api/openapi.json.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Provider } from '@farmhand/db';
import { openApiDocument } from '../../web/src/server/api/openapi';
import { handleApiV1 } from '../../web/src/server/api/router';
import { postJob } from '../../web/src/server/rest';
import { startWebFarm, type WebFarm } from '../../web/test/support/farm';

export interface Stack {
  farm: WebFarm;
  url: string;
  stop(): Promise<void>;
}

export async function startStack(provider: Provider): Promise<Stack> {
  const farm = await startWebFarm(provider);
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = `http://${req.headers.host}${req.url}`;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(url, { method: req.method ?? 'GET', headers, ...(body && req.method !== 'GET' ? { body } : {}) });
    const path = new URL(url).pathname;
    const response =
      path === '/api/openapi.json'
        ? Response.json(openApiDocument())
        : path === '/api/v1/jobs' && req.method === 'POST'
          ? await postJob(farm.deps, request)
          : await handleApiV1(farm.deps, request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    farm,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise((r) => server.close(r));
      await farm.stop();
    },
  };
}
