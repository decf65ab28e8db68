/**
 * `npm run bench:events`: how fast the outbox worker turns farm events into notifications and
 * webhook deliveries, and how fast the sender delivers them, with the real dispatcher (in this
 * process) on a fresh database of each provider this machine has (SQLite; PostgreSQL when it
 * answers) and a real HTTP receiver on loopback that answers 200.
 *
 * N `job.finished` events (default 2,000) are stored as the dispatcher's commits store them,
 * with two matching webhooks (the owner's and the show's); the dispatcher starts and its worker
 * finds them (as after a restart). Measured: fan-out (events → notifications and delivery rows,
 * per second) and delivery (signed POSTs answered and recorded DELIVERED, per second).
 * Options: --events N. The last line of output is one JSON object.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadSettings } from '@farmhand/contracts';
import { ensureLocalFarm, openDatabase, type Provider } from '@farmhand/db';
import { createTestDatabase, testProviders } from '@farmhand/db/testing';
import pino from 'pino';
import { startDispatcher } from '../src/server';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '2000' } } });
const N = Number(args.events);

async function receiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => n,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(provider: Provider): Promise<{ fanOutPerS: number; deliveriesPerS: number }> {
  const testDb = await createTestDatabase(provider);
  const hook = await receiver();
  const db = openDatabase(testDb.url);
  try {
    await ensureLocalFarm(db.prisma);
    const show = await db.prisma.show.findUniqueOrThrow({ where: { name: 'sandbox' } });
    await db.prisma.webhook.createMany({
      data: [
        { id: 'bench-user', owner: 'bench', url: hook.url, secret: 'bench-secret-0123456789', events: 'job.finished' },
        { id: 'bench-show', owner: 'wrangler', showId: show.id, url: hook.url, secret: 'bench-secret-0123456789', events: 'job.finished' },
      ],
    });
    const payload = (i: number) =>
      JSON.stringify({
        jobId: `job${i}`,
        jobName: `job${i}`,
        show: 'sandbox',
        shot: 'sh010',
        user: 'bench',
        state: 'SUCCEEDED',
        counts: { succeeded: 10, dead: 0, eaten: 0, total: 10 },
      });
    await db.prisma.farmEvent.createMany({
      data: Array.from({ length: N }, (_, i) => ({
        kind: 'job.finished',
        showId: show.id,
        jobId: `job${i}`,
        user: 'bench',
        payload: payload(i),
      })),
    });
    const settings = loadSettings({
      DATABASE_URL: testDb.url,
      FARMHAND_DATA_DIR: `/tmp/farmhand-bench-events-${process.pid}`,
      FARMHAND_HOST_TOKEN: 'bench-token-0123456789',
    });
    const started = performance.now();
    const dispatcher = await startDispatcher({ settings, port: 0, logger: pino({ level: 'silent' }) });
    try {
      await until(async () => (await db.prisma.notification.count()) === 2 * N, 'notifications (the owner and the show webhook owner)');
      const fannedOut = performance.now();
      await until(() => hook.count() >= 2 * N, 'deliveries at the receiver');
      await until(async () => (await db.prisma.webhookDelivery.count({ where: { status: 'DELIVERED' } })) === 2 * N, 'deliveries recorded');
      const delivered = performance.now();
      return {
        fanOutPerS: Math.round(N / ((fannedOut - started) / 1000)),
        deliveriesPerS: Math.round((2 * N) / ((delivered - started) / 1000)),
      };
    } finally {
      await dispatcher.stop();
    }
  } finally {
    await db.close();
    await hook.close();
    await testDb.drop();
  }
}

const figures: Record<string, number> = {};
for (const provider of testProviders()) {
  const r = await run(provider);
  console.log(`${provider}: ${N} events fanned out at ${r.fanOutPerS}/s (start included); ${2 * N} deliveries at ${r.deliveriesPerS}/s`);
  figures[`${provider}FanOutPerS`] = r.fanOutPerS;
  figures[`${provider}DeliveriesPerS`] = r.deliveriesPerS;
}
console.log(JSON.stringify(figures));
process.exit(0);
