/**
 * Farm events end to end with the real dispatcher and a real rqd: jobs that succeed and fail
 * raise job.finished, frame.failed and job.dead_frames in the outbox; they become notifications
 * pushed live to the owner's room, and signed webhook deliveries to a real HTTP receiver that
 * answers 500 twice before accepting — retried with exponential backoff, every try logged.
 */
import { randomUUID } from 'node:crypto';
import { type FarmEventKind, LIVE_EVENTS, LIVE_NAMESPACE, liveRoom, type NotificationsPush, verifyWebhook } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { io } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { spec, startFarm } from '../src/testing';
import { freshDatabaseAndReceiver } from './webhookReceiver';

const BACKOFF_MS = 300;
const SECRET = 'alice-secret-0123456789';
const SHOW_SECRET = 'show-secret-0123456789';

describe.each(testProviders())('farm events on %s', (provider) => {
  it('raises each event once, notifies the owner live, and delivers signed webhooks retried with backoff after 500s', async () => {
    // alice's receiver fails twice per delivery, then accepts; the show's accepts at once.
    const { databaseUrl, receiver } = await freshDatabaseAndReceiver(provider, (n, r) => (r.path === '/alice' && n <= 2 ? 500 : 200));
    const farm = await startFarm(databaseUrl, {}, { events: { backoffMs: BACKOFF_MS, frameFailedAfter: 2 } });
    onTestFinished(() => farm.stop());
    const { prisma } = farm.db;
    const show = await prisma.show.findUniqueOrThrow({ where: { name: 'sandbox' } });
    await prisma.webhook.create({
      data: {
        id: randomUUID(),
        owner: 'alice',
        url: `${receiver.url}/alice`,
        secret: SECRET,
        events: 'job.finished job.dead_frames frame.failed',
      },
    });
    await prisma.webhook.create({
      data: { id: randomUUID(), owner: 'bob', showId: show.id, url: `${receiver.url}/show`, secret: SHOW_SECRET, events: 'job.finished' },
    });
    // Someone else's webhook hears nothing of alice's jobs.
    await prisma.webhook.create({
      data: { id: randomUUID(), owner: 'carol', url: `${receiver.url}/carol`, secret: SHOW_SECRET, events: 'job.finished' },
    });

    const pushes: NotificationsPush[] = [];
    const live = io(`${farm.dispatcher.url}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    live.on(LIVE_EVENTS.notifications, (p: NotificationsPush) => pushes.push(p));
    await new Promise<void>((resolve) =>
      live.on('connect', () => live.emit(LIVE_EVENTS.join, { room: liveRoom.user('alice') }, () => resolve())),
    );

    farm.startRqd();
    const good = await farm.submit(spec({ name: 'good' }));
    const bad = await farm.submit(spec({ name: 'bad', maxRetries: 2 }, { command: 'exit 3', range: '1-1' }));
    await farm.waitForJob(good, (j) => j.state === 'SUCCEEDED');
    await farm.waitForJob(bad, (j) => j.state === 'FAILED');

    // The outbox: exactly the events the two jobs caused, each once.
    const events = await prisma.farmEvent.findMany({ orderBy: { id: 'asc' } });
    const kinds = (jobId: string) => events.filter((e) => e.jobId === jobId).map((e) => e.kind);
    expect(kinds(good)).toEqual(['job.finished']);
    expect(kinds(bad)).toEqual(['frame.failed', 'job.dead_frames', 'job.finished']);
    const finishedBad = JSON.parse(events.find((e) => e.jobId === bad && e.kind === 'job.finished')?.payload ?? '{}');
    expect(finishedBad).toMatchObject({ jobName: 'bad', show: 'sandbox', user: 'alice', state: 'FAILED', counts: { dead: 1, total: 1 } });
    const failed = JSON.parse(events.find((e) => e.kind === 'frame.failed')?.payload ?? '{}');
    expect(failed).toMatchObject({ failures: 2, dead: false, exitStatus: 3, layer: 'render', frame: 1 });

    // Every delivery ends DELIVERED: alice's after three tries, the show's after one.
    const deliveries = await farm.waitUntil(async () => {
      const rows = await prisma.webhookDelivery.findMany({ include: { webhook: true }, orderBy: { id: 'asc' } });
      return rows.length === 6 && rows.every((r) => r.status === 'DELIVERED') && rows;
    }, 'six deliveries DELIVERED');
    const byPath = (p: string) => deliveries.filter((d) => d.webhook.url.endsWith(p));
    expect(byPath('/alice').map((d) => d.tries)).toEqual([3, 3, 3, 3]);
    expect(byPath('/show').map((d) => d.tries)).toEqual([1, 1]);
    expect(byPath('/carol')).toHaveLength(0);
    for (const d of byPath('/alice')) {
      expect(d.responseStatus).toBe(200);
      expect(d.error?.split('\n')).toHaveLength(2);
      expect(d.error).toMatch(/^try 1 at .*: HTTP 500 in \d+ ms\ntry 2 at .*: HTTP 500 in \d+ ms$/);
    }

    // What the receiver saw: signed bodies it can verify, tries spaced by the doubling backoff.
    for (const r of receiver.received) {
      const secret = r.path === '/alice' ? SECRET : SHOW_SECRET;
      expect(await verifyWebhook(secret, r.raw, r.signature, Date.now())).toBeNull();
      expect(await verifyWebhook('a-wrong-secret-0123456', r.raw, r.signature, Date.now())).toMatch(/does not match/);
      expect(await verifyWebhook(secret, r.raw, r.signature, Date.now() + 3_600_000)).toMatch(/replay/);
      expect(r.event).toBe(r.body.kind);
    }
    for (const d of byPath('/alice')) {
      const tries = receiver.received.filter((r) => r.path === '/alice' && r.delivery === String(d.id)).map((r) => r.at);
      expect(tries).toHaveLength(3);
      expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(BACKOFF_MS - 50);
      expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 50);
    }
    const aliceKinds = receiver.received.filter((r) => r.answered === 200 && r.path === '/alice').map((r) => r.body.kind as FarmEventKind);
    expect(aliceKinds.sort()).toEqual(['frame.failed', 'job.dead_frames', 'job.finished', 'job.finished']);

    // Notifications: one per event for the owner, linking to the job (and frame); pushed live.
    const notes = await prisma.notification.findMany({ where: { user: 'alice' }, orderBy: { id: 'asc' } });
    expect(notes.map((n) => n.kind).sort()).toEqual(['frame.failed', 'job.dead_frames', 'job.finished', 'job.finished']);
    expect(notes.find((n) => n.kind === 'job.dead_frames')?.link).toMatch(new RegExp(`^/jobs/${bad}\\?frame=\\d+$`));
    expect(
      notes.find((n) => n.kind === 'job.finished' && n.eventId === events.find((e) => e.jobId === bad && e.kind === 'job.finished')?.id)
        ?.title,
    ).toBe('bad finished with 1 dead frame');
    // bob watches the show through his webhook: its job.finished events ring his bell too; carol's webhook is not a show's.
    expect((await prisma.notification.findMany({ where: { user: 'bob' } })).map((n) => n.kind)).toEqual(['job.finished', 'job.finished']);
    expect(await prisma.notification.count({ where: { user: 'carol' } })).toBe(0);
    await farm.waitUntil(async () => pushes.at(-1)?.unread === 4, 'a live push with 4 unread');
    expect(pushes.at(-1)?.latest?.title).toBeTruthy();
    live.close();
  }, 90_000);

  it("raises host.down once when a host stops reporting, for the owners of the frames it ran and the show's webhook", async () => {
    const { databaseUrl, receiver } = await freshDatabaseAndReceiver(provider);
    const farm = await startFarm(databaseUrl, { FARMHAND_HOST_TIMEOUT_S: '2' }, { events: { backoffMs: BACKOFF_MS } });
    onTestFinished(() => farm.stop());
    const { prisma } = farm.db;
    const show = await prisma.show.findUniqueOrThrow({ where: { name: 'sandbox' } });
    await prisma.webhook.create({
      data: { id: randomUUID(), owner: 'wes', showId: show.id, url: `${receiver.url}/show`, secret: SHOW_SECRET, events: 'host.down' },
    });
    const host = farm.startRqd('render07');
    const jobId = await farm.submit(spec({ name: 'long' }, { command: 'sleep 30', range: '1-2' }));
    await farm.waitForJob(jobId, (j) => j.counts.RUNNING === 2);
    host.kill('SIGSTOP'); // silent, as a host that lost power
    try {
      const event = await farm.waitUntil(async () => prisma.farmEvent.findFirst({ where: { kind: 'host.down' } }), 'a host.down event');
      expect(JSON.parse(event.payload)).toMatchObject({
        host: 'render07',
        reason: 'no report for 2 s',
        jobs: [{ jobId, jobName: 'long', show: 'sandbox', user: 'alice', frames: 2 }],
      });
      const note = await farm.waitUntil(
        async () => prisma.notification.findFirst({ where: { user: 'alice', kind: 'host.down' } }),
        'a notification',
      );
      expect(note.title).toBe('Host render07 is DOWN');
      expect(note.body).toBe('2 frames went back to WAITING: no report for 2 s');
      await farm.waitUntil(async () => receiver?.received.find((r) => r.body.kind === 'host.down'), 'the show webhook to hear of it');
      expect((await prisma.notification.findFirst({ where: { user: 'wes', kind: 'host.down' } }))?.title).toBe('Host render07 is DOWN');
      // Once: the monitor keeps seeing the host silent, but it is already DOWN.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await prisma.farmEvent.count({ where: { kind: 'host.down' } })).toBe(1);
    } finally {
      host.kill('SIGCONT');
    }
  }, 60_000);
});
