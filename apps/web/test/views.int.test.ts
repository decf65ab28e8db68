/**
 * Views kept per user in the database, through the web's tRPC procedures on a real database
 * (SQLite, and PostgreSQL when it answers): a grid's arrangement survives a new session, a
 * composed page is saved, reopened, shared by id and copied, and bad layouts are refused by the
 * field at fault with nothing stored.
 */
import { randomUUID } from 'node:crypto';
import { loadSettings, type PageLayout } from '@farmhand/contracts';
import { testProviders } from '@farmhand/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { toAppError } from '../src/server/appErrors';
import { authConfigFrom } from '../src/server/auth/config';
import { appRouter } from '../src/server/routers';
import { createCallerFactory, createContext } from '../src/server/trpc';
import { freshDatabasePerTest } from './support/database';

const callerFor = createCallerFactory(appRouter);

const twoPanels: PageLayout = {
  version: 1,
  panels: [
    { id: 'a', type: 'jobs', x: 0, y: 0, w: 6, h: 8 },
    { id: 'b', type: 'hosts', x: 6, y: 0, w: 6, h: 8 },
  ],
};

async function refusal(p: Promise<unknown>): Promise<{ code: string; appCode: string; fields: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) {
      const app = toAppError(e.cause);
      return { code: e.code, appCode: app.code, fields: app.fields };
    }
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(testProviders())('views kept per user on %s', (provider) => {
  const db = freshDatabasePerTest(provider);
  /** A caller as the route builds it: local mode, the person named by the top bar's header. */
  const as = (user: string) =>
    callerFor(async () =>
      createContext(new Request('http://127.0.0.1/api/trpc', { headers: { 'x-farmhand-user': user } }), {
        db: async () => db(),
        dispatcherUrl: 'http://127.0.0.1:9',
        logRoot: '/nonexistent',
        auth: authConfigFrom(loadSettings({})),
      }),
    );

  it("a grid's columns, sort and filters come back for the same user, not for another", async () => {
    const view = {
      sort: { sortModel: [{ colId: 'state', sort: 'asc' }] },
      columnVisibility: { hiddenColIds: ['shot'] },
      filter: { filterModel: { show: { filterType: 'text', type: 'contains', filter: 'dune' } } },
      // Selection belongs to the moment: dropped.
      rowSelection: ['x'],
    };
    await as('alice').views.saveGrid({ grid: 'jobs', view: view as never });
    const back = await as('alice').views.grid({ grid: 'jobs' });
    expect(back.view).toEqual({ sort: view.sort, columnVisibility: view.columnVisibility, filter: view.filter });
    expect((await as('bob').views.grid({ grid: 'jobs' })).view).toBeNull();
    expect((await as('alice').views.grid({ grid: 'hosts' })).view).toBeNull();

    await as('alice').views.saveGrid({ grid: 'jobs', view: { sort: { sortModel: [] } } });
    expect((await as('alice').views.grid({ grid: 'jobs' })).view).toEqual({ sort: { sortModel: [] } });
    expect(await db().prisma.userView.count({ where: { user: 'alice', kind: 'grid:jobs' } })).toBe(1);

    await as('alice').views.clearGrid({ grid: 'jobs' });
    expect((await as('alice').views.grid({ grid: 'jobs' })).view).toBeNull();
  });

  it('a grid that is not one of ours is refused by name', async () => {
    const r = await refusal(as('alice').views.saveGrid({ grid: 'nope' as never, view: {} }));
    expect(r.code).toBe('BAD_REQUEST');
    expect(await db().prisma.userView.count()).toBe(0);
  });

  it('a person with no page is offered the default of their role', async () => {
    const artist = await as('ann').views.pages();
    expect(artist.pages).toEqual([]);
    expect(artist.role).toBe('artist');
    expect(artist.suggested.layout.panels.find((p) => p.type === 'jobs')?.mine).toBe(true);

    const userId = randomUUID();
    await db().prisma.user.create({ data: { id: userId, name: 'walt' } });
    await db().prisma.roleGrant.create({ data: { id: randomUUID(), userId, role: 'WRANGLER' } });
    const wrangler = await as('walt').views.pages();
    expect(wrangler.role).toBe('wrangler');
    expect(wrangler.suggested.layout.panels.map((p) => p.type)).toContain('problems');

    const prodId = randomUUID();
    await db().prisma.user.create({ data: { id: prodId, name: 'pat' } });
    await db().prisma.roleGrant.create({ data: { id: randomUUID(), userId: prodId, role: 'PRODUCTION', showId: null } });
    expect((await as('pat').views.pages()).role).toBe('production');
  });

  it('a composed page is saved, listed, reopened as left, and rearranged in place', async () => {
    const saved = await as('alice').views.savePage({ name: 'Lighting', layout: twoPanels, shared: true });
    expect(saved.mine).toBe(true);
    expect((await as('alice').views.pages()).pages.map((p) => p.name)).toEqual(['Lighting']);

    const moved: PageLayout = { version: 1, panels: [{ ...twoPanels.panels[0]!, x: 2, y: 3, w: 10, h: 12 }] };
    await as('alice').views.savePage({ id: saved.id, name: 'Lighting', layout: moved, shared: true });
    const again = await as('alice').views.page({ id: saved.id });
    expect(again.layout.panels).toEqual(moved.panels);
    expect(await db().prisma.userView.count({ where: { kind: 'page' } })).toBe(1);
  });

  it('a shared page opens for someone else, who can save a copy but not change or delete it', async () => {
    const page = await as('alice').views.savePage({ name: 'Lighting', layout: twoPanels, shared: true });
    const seen = await as('bob').views.page({ id: page.id });
    expect(seen).toMatchObject({ user: 'alice', mine: false, name: 'Lighting' });
    expect(seen.layout).toEqual(twoPanels);

    const change = await refusal(
      as('bob').views.savePage({ id: page.id, name: 'Lighting', layout: { version: 1, panels: [] }, shared: true }),
    );
    expect(change.appCode).toBe('FORBIDDEN');
    expect((await refusal(as('bob').views.deletePage({ id: page.id }))).appCode).toBe('FORBIDDEN');
    expect((await as('alice').views.page({ id: page.id })).layout).toEqual(twoPanels);

    const copy = await as('bob').views.copyPage({ id: page.id });
    expect(copy).toMatchObject({ user: 'bob', mine: true, name: 'Lighting (from alice)' });
    expect(copy.layout).toEqual(twoPanels);
    const second = await as('bob').views.copyPage({ id: page.id });
    expect(second.name).toBe('Lighting (from alice 2)');

    await as('alice').views.deletePage({ id: page.id });
    expect((await as('bob').views.page({ id: copy.id })).layout).toEqual(twoPanels);
  });

  it('a page its owner did not share is not found by anyone else', async () => {
    const page = await as('alice').views.savePage({ name: 'Private', layout: twoPanels, shared: false });
    expect((await refusal(as('bob').views.page({ id: page.id }))).appCode).toBe('NOT_FOUND');
    expect((await as('alice').views.page({ id: page.id })).name).toBe('Private');
  });

  it('bad layouts are refused by the field at fault, and nothing is stored', async () => {
    const cases: { layout: unknown; path: string }[] = [
      { layout: { version: 1, panels: [{ id: 'a', type: 'chart9', x: 0, y: 0, w: 4, h: 4 }] }, path: 'layout.panels[0].type' },
      { layout: { version: 1, panels: [{ id: 'a', type: 'jobs', x: 8, y: 0, w: 6, h: 4 }] }, path: 'layout.panels[0].w' },
      { layout: { version: 1, panels: [twoPanels.panels[0], { ...twoPanels.panels[1], id: 'a' }] }, path: 'layout.panels[1].id' },
    ];
    for (const c of cases) {
      const r = await refusal(as('alice').views.savePage({ name: 'Bad', layout: c.layout as PageLayout, shared: true }));
      expect(r.code).toBe('BAD_REQUEST');
      expect((r.fields as { path: string }[]).map((f) => f.path)).toContain(c.path);
    }
    const noName = await refusal(as('alice').views.savePage({ name: '  ', layout: twoPanels, shared: true }));
    expect(noName.code).toBe('BAD_REQUEST');
    expect(await db().prisma.userView.count()).toBe(0);
  });

  it('two pages of one person cannot share a name', async () => {
    await as('alice').views.savePage({ name: 'Lighting', layout: twoPanels, shared: true });
    const r = await refusal(as('alice').views.savePage({ name: 'Lighting', layout: twoPanels, shared: true }));
    expect(r.appCode).toBe('CONFLICT');
    expect(r.fields).toEqual([{ path: 'name', message: "You already have a page named 'Lighting'" }]);
    await as('bob').views.savePage({ name: 'Lighting', layout: twoPanels, shared: true });
    expect(await db().prisma.userView.count()).toBe(2);
  });
});
