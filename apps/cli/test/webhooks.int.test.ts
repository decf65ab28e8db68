/**
 * `farmhand webhooks` and `farmhand notifications` against a running stack (REST over HTTP):
 * add prints the secret once, a bad event kind exits 2 with nothing stored, test reaches a
 * real receiver signed, the delivery log shows it, rm deletes; notifications list and mark read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { testProviders } from '@farmhand/db/testing';
import { verifyWebhook } from '@farmhand/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farmhand as runFarmhand, type Stack, startStack } from './stack';

const USER = os.userInfo().username;

describe.each(testProviders())('farmhand webhooks on %s', (provider) => {
  let stack: Stack;
  let server: http.Server;
  let receiverUrl: string;
  const hits: { raw: string; signature: string }[] = [];
  const farmhand = (...args: string[]) => runFarmhand(['--url', stack.url, '--user', USER, ...args]);

  beforeAll(async () => {
    stack = await startStack(provider);
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      req.on('end', () => {
        hits.push({ raw, signature: String(req.headers['farmhand-signature']) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await stack?.stop();
  });

  it('adds, tests, shows deliveries of and removes a webhook, with exit codes scripts can trust', async () => {
    const bad = await farmhand('webhooks', 'add', receiverUrl, '--events', 'job.finished,job.exploded');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/job\.exploded/);
    const badUrl = await farmhand('webhooks', 'add', 'not a url');
    expect(badUrl.code).toBe(2);

    const added = await farmhand('--json', 'webhooks', 'add', receiverUrl, '--events', 'job.finished,host.down', '--show', 'sandbox');
    expect(added.code, added.err).toBe(0);
    const hook = JSON.parse(added.out) as { id: string; secret: string; show: string };
    expect(hook.show).toBe('sandbox');

    const listed = await farmhand('webhooks');
    expect(listed.out).toMatch(
      new RegExp(`${hook.id}\\s+${receiverUrl.replace(/[/.]/g, '\\$&')}\\s+show sandbox\\s+job.finished,host.down`),
    );

    expect((await farmhand('webhooks', 'test', hook.id)).code).toBe(0);
    const deadline = Date.now() + 15_000;
    let deliveries = '';
    while (Date.now() < deadline) {
      deliveries = (await farmhand('webhooks', 'deliveries', hook.id)).out;
      if (/DELIVERED/.test(deliveries)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(deliveries).toMatch(/webhook\.test\s+DELIVERED\s+1\s+200/);
    expect(hits).toHaveLength(1);
    expect(await verifyWebhook(hook.secret, hits[0]?.raw ?? '', hits[0]?.signature, Date.now())).toBeNull();

    expect((await farmhand('webhooks', 'rm', hook.id)).code).toBe(0);
    expect((await farmhand('webhooks', 'rm', hook.id)).code).toBe(3);
    expect((await farmhand('--json', 'webhooks')).out).toBe('[]');
  });

  it('lists notifications and marks them read', async () => {
    await stack.farm.db.prisma.notification.create({ data: { user: USER, kind: 'job.finished', title: 'shot finished', link: '/jobs/x' } });
    const listed = await farmhand('notifications');
    expect(listed.out).toMatch(/^1 unread/);
    expect(listed.out).toMatch(/job\.finished\s+\*\s+shot finished\s+\/jobs\/x/);
    expect((await farmhand('notifications', '--read')).out).toBe('1 marked read');
    expect((await farmhand('--json', 'notifications', '--unread')).out).toBe(JSON.stringify({ user: USER, unread: 0, items: [] }));
  });
});
