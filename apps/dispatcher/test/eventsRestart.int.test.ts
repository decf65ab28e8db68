/**
 * Farm events survive a crash exactly once: the dispatcher, a process of its own, is killed
 * with SIGKILL twice while jobs finish on simulated hosts. Each job's job.finished event exists
 * once (it is committed with the job's state, never before or without it); each event becomes
 * one notification and one webhook delivery; every delivery reaches the receiver after the
 * restarts (the worker reads the outbox and the deliveries from the database).
 */
import { randomUUID } from 'node:crypto';
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, ProcessFarm, until } from './processFarm';
import { freshDatabaseAndReceiver } from './webhookReceiver';

const JOBS = 40;
const KILLS = 2;

describe.each(testProviders())('farm events across kill -9 on %s', (provider) => {
  it(`raises job.finished once for each of ${JOBS} jobs through ${KILLS} kill -9, and delivers each`, async () => {
    const { databaseUrl, receiver } = await freshDatabaseAndReceiver(provider);
    const farm = new ProcessFarm(databaseUrl, {
      FARMHAND_LOST_FRAME_GRACE_S: '2',
      FARMHAND_SETUP_TIMEOUT_S: '5',
      FARMHAND_HOST_TIMEOUT_S: '60',
      FARMHAND_WEBHOOK_BACKOFF_S: '0.2',
    });
    onTestFinished(() => farm.stop());
    await farm.prepare();
    const { prisma } = farm.db;
    await prisma.webhook.create({
      data: { id: randomUUID(), owner: 'alice', url: `${receiver.url}/hook`, secret: 'restart-secret-0123456789', events: 'job.finished' },
    });
    const port = await freePort();
    let dispatcher = farm.startDispatcher(port);
    await dispatcher.ready();
    farm.startSimulatedHosts(dispatcher.url, 4, [
      '--cores',
      '4',
      '--sim-runtime',
      '0.3:0.2',
      '--sim-failure-rate',
      '0',
      '--sim-oom-rate',
      '0',
    ]);
    const jobIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const r = await farm.command(dispatcher.url, {
        kind: 'submit_job',
        targetType: 'show',
        targetId: 'sandbox',
        args: { name: `job${i}`, show: 'sandbox', user: 'alice', layers: [{ name: 'render', command: 'render #FRAME#', range: '1-8' }] },
      });
      expect(r.status).toBe('APPLIED');
      jobIds.push(String(r.outcome?.jobId));
    }
    const finished = () => prisma.job.count({ where: { id: { in: jobIds }, state: 'SUCCEEDED' } });

    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const floor = await finished();
      await until(async () => (await finished()) > floor, 'a job to finish after the restart');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 500));
      killedAt.push(await finished());
      await dispatcher.kill9();
      dispatcher = farm.startDispatcher(port);
      await dispatcher.ready();
    }
    expect(
      killedAt.every((n) => n < JOBS),
      `killed with ${killedAt.join(', ')} jobs finished`,
    ).toBe(true);
    await until(async () => (await finished()) === JOBS, `all ${JOBS} jobs SUCCEEDED`, 120_000);

    const events = await prisma.farmEvent.findMany({ where: { kind: 'job.finished' } });
    expect(events.map((e) => e.jobId).sort()).toEqual([...jobIds].sort());
    const eventIds = events.map((e) => e.id).sort((a, b) => a - b);

    await until(async () => (await prisma.notification.count({ where: { user: 'alice' } })) >= JOBS, 'a notification per event');
    const deliveries = await until(async () => {
      const rows = await prisma.webhookDelivery.findMany();
      return rows.length >= JOBS && rows.every((r) => r.status === 'DELIVERED') && rows;
    }, 'every delivery DELIVERED');
    const notes = await prisma.notification.findMany({ where: { user: 'alice' } });
    expect(notes.map((n) => n.eventId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(eventIds);
    expect(deliveries.map((d) => d.eventId).sort((a, b) => a - b)).toEqual(eventIds);
    // At least once at the receiver (a delivery whose answer a kill lost is sent again), every event.
    expect([...new Set(receiver.received.map((r) => r.body.eventId))].sort((a, b) => a - b)).toEqual(eventIds);
  }, 240_000);
});
