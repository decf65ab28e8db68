/**
 * The dispatcher's sockets with sign-in required: a browser's /live socket needs the ticket
 * the web signs for it and may join only rooms of shows it may read (or its own jobs); rqd
 * hosts connect with their own host tokens (admin-created, revocable) or the shared one.
 */
import { LIVE_EVENTS, LIVE_NAMESPACE, liveRoom, RQD_NAMESPACE } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthFarm, type Person, startAuthFarm } from './support/authFarm';

const spec = (show: string, user: string) => ({
  name: `live-${show}-${user}`,
  show,
  shot: 'sh010',
  user,
  maxRetries: 1,
  layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-2', chunk: 1, cores: 1, memoryMb: 64 }],
});

/** Connects; resolves with the socket, or with the connect error's message. */
function connect(url: string, auth: Record<string, unknown>): Promise<{ socket: Socket | null; error: string | null }> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, error: null }));
    socket.once('connect_error', (e) => {
      socket.close();
      resolve({ socket: null, error: e.message });
    });
  });
}

function join(socket: Socket, room: string): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => socket.emit(LIVE_EVENTS.join, { room }, resolve));
}

describe.each(testProviders())('the dispatcher sockets with sign-in required on %s', (provider) => {
  let farm: AuthFarm;
  let jobs: { sandbox: string; other: string; anasOther: string };
  let frameOther: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    farm = await startAuthFarm(provider);
    const root = await farm.asToken('root');
    const submit = async (show: string, user: string) =>
      ((await (await farm.rest('POST', '/jobs', spec(show, user), root)).json()) as { id: string }).id;
    jobs = { sandbox: await submit('sandbox', 'bob'), other: await submit('other', 'bob'), anasOther: await submit('other', 'ana') };
    frameOther = (await farm.db.prisma.frame.findFirstOrThrow({ where: { jobId: jobs.other } })).id;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await farm?.stop();
  });

  async function ticketOf(who: Person): Promise<string | null> {
    const res = await farm.trpc('query', 'auth.liveTicket', undefined, await farm.asSession(who));
    return ((await res.json()) as { result: { data: { ticket: string | null } } }).result.data.ticket;
  }

  async function liveAs(who: Person): Promise<Socket> {
    const { socket, error } = await connect(`${farm.dispatcher.url}${LIVE_NAMESPACE}`, { ticket: await ticketOf(who) });
    if (!socket) throw new Error(`live refused ${who}: ${error}`);
    sockets.push(socket);
    return socket;
  }

  it('a socket without a ticket, or with a forged one, cannot connect', async () => {
    expect(await ticketOf('anon')).toBeNull();
    const none = await connect(`${farm.dispatcher.url}${LIVE_NAMESPACE}`, {});
    expect(none.error).toMatch(/sign in first/);
    const ticket = (await ticketOf('ana')) ?? '';
    const [body] = ticket.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ user: 'ana', shows: 'all', exp: Date.now() + 60_000 })).toString('base64url');
    const forged = await connect(`${farm.dispatcher.url}${LIVE_NAMESPACE}`, { ticket: `${forgedBody}.${ticket.split('.')[1]}` });
    expect(body).not.toBe(forgedBody);
    expect(forged.error).toMatch(/not valid or has expired/);
  });

  it("an artist joins a granted show's job room and their own job's, but not another show's job or frame log", async () => {
    const ana = await liveAs('ana');
    expect(await join(ana, liveRoom.farm())).toEqual({ ok: true });
    expect(await join(ana, liveRoom.job(jobs.sandbox))).toEqual({ ok: true });
    expect(await join(ana, liveRoom.job(jobs.anasOther))).toEqual({ ok: true });
    const refused = await join(ana, liveRoom.job(jobs.other));
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/ana may not watch job:/);
    expect((await join(ana, liveRoom.log(frameOther, 1))).ok).toBe(false);
  });

  it('a refused socket receives nothing of that job, while a wrangler in the room does', async () => {
    const ana = await liveAs('ana');
    const wes = await liveAs('wes');
    await join(ana, liveRoom.job(jobs.other));
    expect(await join(wes, liveRoom.job(jobs.other))).toEqual({ ok: true });
    const seen = { ana: 0, wes: 0 };
    ana.on(LIVE_EVENTS.jobs, () => {
      seen.ana++;
    });
    const wesSaw = new Promise<void>((resolve) => wes.on(LIVE_EVENTS.jobs, () => resolve()));
    wes.on(LIVE_EVENTS.jobs, () => {
      seen.wes++;
    });
    expect((await farm.rest('POST', `/jobs/${jobs.other}/pause`, {}, await farm.asToken('root'))).status).toBe(200);
    await wesSaw;
    await new Promise((r) => setTimeout(r, 300)); // a flush period (100 ms) and then some
    expect(seen.wes).toBeGreaterThan(0);
    expect(seen.ana).toBe(0);
  });

  it("on the farm room an artist gets the job rows of their shows and their own jobs, never another show's", async () => {
    const ana = await liveAs('ana');
    const wes = await liveAs('wes');
    expect(await join(ana, liveRoom.farm())).toEqual({ ok: true });
    expect(await join(wes, liveRoom.farm())).toEqual({ ok: true });
    const seen = { ana: new Set<string>(), wes: new Set<string>() };
    ana.on(LIVE_EVENTS.jobs, (deltas: { id: string }[]) => {
      for (const d of deltas) seen.ana.add(d.id);
    });
    wes.on(LIVE_EVENTS.jobs, (deltas: { id: string }[]) => {
      for (const d of deltas) seen.wes.add(d.id);
    });
    const root = await farm.asToken('root');
    for (const id of [jobs.other, jobs.sandbox, jobs.anasOther])
      expect((await farm.rest('POST', `/jobs/${id}/priority`, { priority: 77 }, root)).status).toBe(200);
    await expect.poll(() => seen.wes.size, { timeout: 5_000 }).toBe(3);
    await expect.poll(() => seen.ana.size, { timeout: 5_000 }).toBe(2);
    expect([...seen.ana].sort()).toEqual([jobs.sandbox, jobs.anasOther].sort());
  });

  it("a user joins their own notifications room, not somebody else's", async () => {
    const ana = await liveAs('ana');
    expect(await join(ana, liveRoom.user('ana'))).toEqual({ ok: true });
    expect((await join(ana, liveRoom.user('wes'))).ok).toBe(false);
  });

  it('production reads every job room of their show', async () => {
    const pat = await liveAs('pat');
    expect(await join(pat, liveRoom.job(jobs.sandbox))).toEqual({ ok: true });
    expect((await join(pat, liveRoom.job(jobs.other))).ok).toBe(false);
  });

  it('rqd connects with an admin-made host token, not once it is revoked, and not with a made-up one', async () => {
    const admin = await farm.asSession('root');
    const made = (await (await farm.trpc('mutation', 'admin.createHostToken', { name: 'render-07' }, admin)).json()) as {
      result: { data: { id: string; token: string } };
    };
    const url = `${farm.dispatcher.url}${RQD_NAMESPACE}`;
    const ok = await connect(url, { token: made.result.data.token, hostName: 'render-07' });
    expect(ok.error).toBeNull();
    ok.socket?.close();
    expect((await connect(url, { token: 'fhh_made-up', hostName: 'render-07' })).error).toMatch(/host token/);
    await farm.trpc('mutation', 'admin.revokeHostToken', { tokenId: made.result.data.id }, admin);
    expect((await connect(url, { token: made.result.data.token, hostName: 'render-07' })).error).toMatch(/host token/);
    const shared = await connect(url, { token: 'auth-test-shared-host-token', hostName: 'render-08' });
    expect(shared.error).toBeNull();
    shared.socket?.close();
  });
});
