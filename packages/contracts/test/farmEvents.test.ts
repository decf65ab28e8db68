/**
 * Webhook signatures as a receiver checks them, and the event payload schemas: a good
 * signature passes; a changed body, a wrong secret, a stale or future timestamp and a
 * malformed header are each refused with a reason; payloads that break the schema are refused
 * by their field.
 */
import { describe, expect, it } from 'vitest';
import { farmEventPayloadSchemas, signWebhook, verifyWebhook, webhookCreateSchema } from '../src/farmEvents';

const SECRET = 'whsec_0123456789abcdef';
const BODY = JSON.stringify({ eventId: 7, kind: 'job.finished', createdAt: '2026-12-02T00:00:00.000Z', data: {} });
const NOW = Date.UTC(2026, 11, 2, 4, 0, 0);

describe('webhook signatures', () => {
  it('a delivery signed with the secret verifies, and reads t=<seconds>,v1=<64 hex>', async () => {
    const header = await signWebhook(SECRET, BODY, NOW);
    expect(header).toMatch(new RegExp(`^t=${NOW / 1000},v1=[0-9a-f]{64}$`));
    expect(await verifyWebhook(SECRET, BODY, header, NOW + 1000)).toBeNull();
  });

  it('matches an HMAC-SHA256 of "<t>.<body>" computed independently', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET)
      .update(`${NOW / 1000}.${BODY}`)
      .digest('hex');
    expect(await signWebhook(SECRET, BODY, NOW)).toBe(`t=${NOW / 1000},v1=${expected}`);
  });

  it.each([
    ['a changed body', async () => verifyWebhook(SECRET, `${BODY} `, await signWebhook(SECRET, BODY, NOW), NOW), /does not match/],
    [
      'a wrong secret',
      async () => verifyWebhook('whsec_another-secret-00', BODY, await signWebhook(SECRET, BODY, NOW), NOW),
      /does not match/,
    ],
    [
      'a replay after 5 minutes',
      async () => verifyWebhook(SECRET, BODY, await signWebhook(SECRET, BODY, NOW), NOW + 301_000),
      /more than 300 s \(a replay\?\)/,
    ],
    [
      'a timestamp from the future',
      async () => verifyWebhook(SECRET, BODY, await signWebhook(SECRET, BODY, NOW + 600_000), NOW),
      /a replay/,
    ],
    ['no header', async () => verifyWebhook(SECRET, BODY, undefined, NOW), /header is missing/],
    ['a malformed header', async () => verifyWebhook(SECRET, BODY, 'sha256=abc', NOW), /must read t=<seconds>,v1=<hex>/],
  ])('refuses %s', async (_, check, reason) => {
    expect(await check()).toMatch(reason);
  });
});

describe('event and webhook schemas', () => {
  it('refuses a job.finished payload without counts, by its field', () => {
    const r = farmEventPayloadSchemas['job.finished'].safeParse({
      jobId: 'j',
      jobName: 'n',
      show: 's',
      shot: '',
      user: 'u',
      state: 'SUCCEEDED',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['counts']);
  });

  it('a webhook needs an http(s) url and at least one known event', () => {
    const r = webhookCreateSchema.safeParse({ url: 'ftp://x', events: [] });
    expect(r.success).toBe(false);
    expect(new Set(r.error?.issues.map((i) => i.path.join('.')))).toEqual(new Set(['url', 'events']));
    expect(webhookCreateSchema.safeParse({ url: 'https://h/x', events: ['job.exploded'] }).error?.issues[0]?.path).toEqual(['events', 0]);
    expect(webhookCreateSchema.parse({ url: ' https://h/x ', events: ['host.down'] }).url).toBe('https://h/x');
  });
});
