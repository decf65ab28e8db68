/**
 * Webhooks and notifications through the REST API on a real farm (the real dispatcher and an
 * rqd process), on SQLite and PostgreSQL: bad input refused by its field with nothing stored,
 * each user sees and deletes only their own webhooks, a test delivery reaches a real HTTP
 * receiver signed and is logged, a finished job notifies its owner, marking read counts down,
 * and the OpenAPI document lists the endpoints.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { verifyWebhook, WEBHOOK_HEADERS } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/server/api/openapi';
import { handleApiV1 } from '../src/server/api/router';
import { startWebFarm, type WebFarm } from './support/farm';

interface Hit {
  raw: string;
  signature: string | undefined;
}

async function receiver(): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      hits.push({ raw, signature: req.headers[WEBHOOK_HEADERS.signature] as string | undefined });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function until<T>(probe: () => Promise<T | null | false | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, each test knowing its endpoint's shape
type Json = any;

describe.each(testProviders())('webhooks and notifications over REST on %s', (provider) => {
  let farm: WebFarm;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await handleApiV1(
      farm.deps,
      new Request(`http://web.test/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-farmhand-user': user },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    farm = await startWebFarm(provider);
    hook = await receiver();
  });
  afterAll(async () => {
    await hook?.close();
    await farm?.stop();
  });

  it('refuses a bad webhook by its field and stores nothing', async () => {
    const bad = await call('alice', 'POST', '/webhooks', { url: 'ftp://x', events: [] });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['events', 'url']);
    const noShow = await call('alice', 'POST', '/webhooks', { url: hook.url, events: ['job.finished'], show: 'nope' });
    expect(noShow.status).toBe(400);
    expect(noShow.body.error.fields[0].path).toBe('show');
    const badKind = await call('alice', 'POST', '/webhooks', { url: hook.url, events: ['job.exploded'] });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.fields[0].path).toBe('events[0]');
    expect(await farm.db.prisma.webhook.count()).toBe(0);
  });

  it("keeps each user's webhooks their own, delivers a signed test and logs it", async () => {
    const created = await call('alice', 'POST', '/webhooks', { url: hook.url, events: ['job.finished', 'host.down'], show: 'sandbox' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ owner: 'alice', show: 'sandbox', events: ['job.finished', 'host.down'] });
    expect(created.body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const id: string = created.body.id;

    expect((await call('alice', 'GET', '/webhooks')).body.map((w: Json) => w.id)).toEqual([id]);
    const listedSecret = (await call('alice', 'GET', '/webhooks')).body[0].secret;
    expect(listedSecret).toBeUndefined(); // the secret is shown once, at creation
    expect((await call('bob', 'GET', '/webhooks')).body).toEqual([]);
    expect((await call('bob', 'POST', `/webhooks/${id}/delete`)).status).toBe(404);
    expect((await call('bob', 'POST', `/webhooks/${id}/test`)).status).toBe(404);

    const test = await call('alice', 'POST', `/webhooks/${id}/test`);
    expect(test.status).toBe(202);
    const hit = await until(async () => hook.hits[0], 'the test delivery at the receiver');
    expect(await verifyWebhook(created.body.secret, hit.raw, hit.signature, Date.now())).toBeNull();
    expect(JSON.parse(hit.raw)).toMatchObject({ eventId: test.body.eventId, kind: 'webhook.test' });
    const log = await until(async () => {
      const d = (await call('alice', 'GET', `/webhooks/${id}/deliveries`)).body;
      return d[0]?.status === 'DELIVERED' && d;
    }, 'the delivery logged DELIVERED');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'webhook.test', tries: 1, responseStatus: 200, log: null });

    expect((await call('alice', 'POST', `/webhooks/${id}/delete`)).body).toEqual({ deleted: id });
    expect(await farm.db.prisma.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
  });

  it("notifies a job's owner when it finishes, and counts down as they read", async () => {
    // rqd runs frames as the job's user: a user this machine has.
    const me = os.userInfo().username;
    farm.startRqd('events01');
    const submitted = await call(me, 'POST', '/jobs', {
      name: 'notify-me',
      show: 'sandbox',
      shot: 'sh010',
      user: me,
      layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-2', memoryMb: 64 }],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const jobId: string = submitted.body.id;
    await farm.waitForJob(jobId, (j) => j.state === 'SUCCEEDED');
    const mine = await until(async () => {
      const n = (await call(me, 'GET', '/notifications')).body;
      return n.items.length > 0 && n;
    }, 'a notification for the owner');
    expect(mine.user).toBe(me);
    expect(mine.unread).toBe(1);
    expect(mine.items[0]).toMatchObject({ kind: 'job.finished', title: 'notify-me finished', link: `/jobs/${jobId}`, readAt: null });
    expect((await call('bob', 'GET', '/notifications')).body.items).toEqual([]);
    expect((await call('bob', 'POST', '/notifications/read', { ids: [mine.items[0].id] })).body.marked).toBe(0);
    expect((await call(me, 'POST', '/notifications/read', {})).body).toEqual({ marked: 1, unread: 0 });
    expect((await call(me, 'GET', '/notifications?unread=1')).body.items).toEqual([]);
  }, 60_000);

  it('documents the webhook and notification endpoints, and what a webhook receives, in OpenAPI', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/v1/webhooks', 'get'],
      ['/api/v1/webhooks', 'post'],
      ['/api/v1/webhooks/{id}/delete', 'post'],
      ['/api/v1/webhooks/{id}/test', 'post'],
      ['/api/v1/webhooks/{id}/deliveries', 'get'],
      ['/api/v1/notifications', 'get'],
      ['/api/v1/notifications/read', 'post'],
    ] as const)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const hooks = (doc as unknown as { webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: Json }> } } }> })
      .webhooks;
    expect(Object.keys(hooks)).toEqual(['job.finished', 'job.dead_frames', 'frame.failed', 'host.down']);
    expect(hooks['job.finished']?.post.requestBody.content['application/json']?.schema.properties.data.required).toContain('counts');
  });
});
