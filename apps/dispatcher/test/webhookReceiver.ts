/**
 * A real HTTP receiver for webhook tests: records every request (headers, raw body, when) and
 * answers with the status `answer` picks for it — so tests can make a receiver fail a few
 * times before it accepts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS, type WebhookBody } from '@farmhand/contracts';
import type { Provider } from '@farmhand/db';
import { createTestDatabase } from '@farmhand/db/testing';
import { onTestFinished } from 'vitest';

export interface Received {
  at: number;
  path: string;
  signature: string | undefined;
  delivery: string | undefined;
  event: string | undefined;
  raw: string;
  body: WebhookBody;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** `answer(tryNumber, request)`: the status for the n-th request of the same delivery (1-based). */
export async function startReceiver(
  answer: (tryOfDelivery: number, r: Omit<Received, 'answered'>) => number = () => 200,
): Promise<Receiver> {
  const received: Received[] = [];
  const tries = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const r = {
        at: Date.now(),
        path: req.url ?? '/',
        signature: header(WEBHOOK_HEADERS.signature),
        delivery: header(WEBHOOK_HEADERS.delivery),
        event: header(WEBHOOK_HEADERS.event),
        raw,
        body: JSON.parse(raw) as WebhookBody,
      };
      const key = `${r.path}|${r.delivery}`;
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      const status = answer(n, r);
      received.push({ ...r, answered: status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What every farm-events test starts with: a fresh test database and a receiver, both closed
 * and dropped when the current test finishes (call inside `it`; vitest runs these in reverse,
 * so a farm registered after them with `onTestFinished` stops first).
 */
export async function freshDatabaseAndReceiver(
  provider: Provider,
  answer?: Parameters<typeof startReceiver>[0],
): Promise<{ databaseUrl: string; receiver: Receiver }> {
  const testDb = await createTestDatabase(provider);
  onTestFinished(() => testDb.drop());
  const receiver = await startReceiver(answer);
  onTestFinished(() => receiver.close());
  return { databaseUrl: testDb.url, receiver };
}
