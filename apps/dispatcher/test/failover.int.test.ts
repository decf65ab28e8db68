/**
 * One active dispatcher per database. On PostgreSQL a second one stands by (its /health says so)
 * and takes over within 10 s of the active one dying, losing neither commands nor running
 * frames; hosts reach whichever is active through an address that follows it (here a TCP
 * proxy, as a virtual IP or load balancer would in a studio). On SQLite a second one refuses to
 * start, naming the first.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createTestDatabase, testProviders } from '@farmhand/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type DispatcherProcess, freePort, ProcessFarm, until } from './processFarm';

const health = async (url: string) => ((await (await fetch(`${url}/health`)).json()) as { state: string }).state;

/** Forwards every connection to whichever dispatcher says it is active. */
async function activeProxy(dispatchers: () => DispatcherProcess[]): Promise<{ url: string; close(): void }> {
  const server = net.createServer(async (client) => {
    client.on('error', () => undefined);
    client.pause();
    let target: DispatcherProcess | undefined;
    for (const d of dispatchers()) if ((await health(d.url).catch(() => '')) === 'active') target = d;
    if (!target) return client.destroy();
    const upstream = net.connect(Number(new URL(target.url).port), '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
    client.resume();
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

describe('a second dispatcher on one database', () => {
  let farm: ProcessFarm | undefined;
  let dropDb: () => Promise<void> = async () => undefined;
  let closeProxy = () => undefined as unknown;

  afterEach(async () => {
    closeProxy();
    await farm?.stop();
    await dropDb();
  });

  it.runIf(testProviders().includes('postgres'))(
    'on PostgreSQL stands by, then takes over within 10 s of the active one dying, with its commands and running frames',
    async () => {
      const testDb = await createTestDatabase('postgres');
      dropDb = testDb.drop;
      farm = new ProcessFarm(testDb.url, { FARMHAND_LOST_FRAME_GRACE_S: '3', FARMHAND_SETUP_TIMEOUT_S: '10' });
      await farm.prepare();
      const first = farm.startDispatcher(await freePort(), 'first');
      await first.ready('active');
      const second = farm.startDispatcher(await freePort(), 'second');
      await second.ready('standby');
      expect(await health(second.url)).toBe('standby');
      const refused = await fetch(`${second.url}/commands/1/apply`, { method: 'POST' });
      expect(refused.status).toBe(503);

      const proxy = await activeProxy(() => [first, second]);
      closeProxy = proxy.close;
      farm.startSimulatedHosts(proxy.url, 4, [
        '--cores',
        '4',
        '--sim-runtime',
        '1.5:0.3',
        '--sim-failure-rate',
        '0',
        '--sim-oom-rate',
        '0',
      ]);
      const job = await farm.command(proxy.url, {
        kind: 'submit_job',
        targetType: 'show',
        targetId: 'sandbox',
        args: { name: 'failover', show: 'sandbox', user: 'alice', layers: [{ name: 'render', command: 'render #FRAME#', range: '1-40' }] },
      });
      expect(job.status).toBe('APPLIED');
      const jobId = String(job.outcome?.jobId);
      const { prisma } = farm.db;
      await until(async () => (await prisma.frame.count({ where: { jobId, state: 'SUCCEEDED' } })) > 0, 'the first frames to finish');

      await first.kill9();
      const diedAt = Date.now();
      // Stored while no dispatcher is active, as the web does when it cannot reach one.
      const paused = await prisma.command.create({
        data: { user: 'bob', kind: 'set_priority', targetType: 'job', targetId: jobId, args: JSON.stringify({ priority: 7 }) },
      });
      await until(async () => (await health(second.url)) === 'active', 'the standby to take over', 10_000);
      expect(Date.now() - diedAt).toBeLessThan(10_000);

      await until(async () => (await prisma.command.findUnique({ where: { id: paused.id } }))?.status === 'APPLIED', 'the stored command');
      await until(async () => (await prisma.job.findUnique({ where: { id: jobId } }))?.state === 'SUCCEEDED', 'the job to finish', 90_000);
      expect((await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).priority).toBe(7);
      const attempts = await prisma.frameAttempt.findMany({ where: { frame: { jobId } } });
      const succeeded = attempts.filter((a) => a.reason === 'EXITED' && a.exitStatus === 0);
      expect(succeeded.length).toBe(40);
      expect(new Set(succeeded.map((a) => a.frameId)).size).toBe(40);
      await second.stop();
    },
    150_000,
  );

  it('on SQLite refuses to start, naming the dispatcher already running', async () => {
    const testDb = await createTestDatabase('sqlite');
    dropDb = testDb.drop;
    farm = new ProcessFarm(testDb.url);
    await farm.prepare();
    const first = farm.startDispatcher(await freePort(), 'first');
    await first.ready('active');
    const second = farm.startDispatcher(await freePort(), 'second');
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    expect(code).toBe(1);
    const log = fs.readFileSync(path.join(farm.dataDir, 'second.log'), 'utf8');
    expect(log).toContain(`another dispatcher (pid ${first.child.pid}) is already running on the SQLite database`);
    expect(await health(first.url)).toBe('active');
    await first.stop();
  });
});
