/**
 * A person's views in the database (UserView): each grid's arrangement, and the pages they
 * composed from panels. Pages are shareable by id: anyone may open a shared page and save a
 * copy as their own; only its owner saves over it or deletes it. A person with no page of
 * their own is offered the default page of their role.
 */
import { randomUUID } from 'node:crypto';
import {
  AppError,
  type GridId,
  type GridView,
  gridViewKind,
  gridViewSchema,
  PAGE_KIND,
  type PageLayout,
  type PageView,
  pageLayoutSchema,
  type SavePage,
} from '@farmhand/contracts';
import type { Database } from '../db';
import { defaultPage, type PageRole } from './defaultPages';

interface ViewRow {
  id: string;
  user: string;
  kind: string;
  name: string;
  layout: string;
  shared: boolean;
  updatedAt: Date;
}

/** A grid view's row name: one per user and grid. */
const GRID_ROW_NAME = 'default';

function parseLayout<T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } }, raw: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function getGridView(db: Database, user: string, grid: GridId): Promise<GridView | null> {
  const row = await db.prisma.userView.findUnique({ where: { user_kind_name: { user, kind: gridViewKind(grid), name: GRID_ROW_NAME } } });
  // A view stored by an older version that no longer validates: the grid starts from its defaults.
  return row ? parseLayout<GridView>(gridViewSchema, row.layout) : null;
}

export async function saveGridView(db: Database, user: string, grid: GridId, view: GridView): Promise<void> {
  const layout = JSON.stringify(gridViewSchema.parse(view));
  const kind = gridViewKind(grid);
  await db.prisma.userView.upsert({
    where: { user_kind_name: { user, kind, name: GRID_ROW_NAME } },
    create: { id: randomUUID(), user, kind, name: GRID_ROW_NAME, layout, shared: false },
    update: { layout },
  });
}

export async function clearGridView(db: Database, user: string, grid: GridId): Promise<void> {
  await db.prisma.userView.deleteMany({ where: { user, kind: gridViewKind(grid), name: GRID_ROW_NAME } });
}

function toPage(row: ViewRow, viewer: string): PageView {
  const layout = parseLayout<PageLayout>(pageLayoutSchema, row.layout) ?? { version: 1, panels: [] };
  return {
    id: row.id,
    user: row.user,
    name: row.name,
    layout,
    shared: row.shared,
    updatedAt: row.updatedAt.toISOString(),
    mine: row.user === viewer,
  };
}

export async function listPages(db: Database, user: string): Promise<PageView[]> {
  const rows = await db.prisma.userView.findMany({ where: { user, kind: PAGE_KIND }, orderBy: { name: 'asc' } });
  return rows.map((r) => toPage(r, user));
}

/** A page by id: the owner's, or anyone's shared one. */
export async function getPage(db: Database, viewer: string, id: string): Promise<PageView> {
  const row = await db.prisma.userView.findUnique({ where: { id } });
  if (!row || row.kind !== PAGE_KIND || (!row.shared && row.user !== viewer)) {
    throw new AppError('NOT_FOUND', `There is no page ${id}, or its owner has not shared it`);
  }
  return toPage(row, viewer);
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', `You already have a page named '${name}'`, [
    { path: 'name', message: `You already have a page named '${name}'` },
  ]);
}

/** Creates a page (no id) or saves over one of the user's own. */
export async function savePage(db: Database, user: string, input: SavePage): Promise<PageView> {
  const layout = JSON.stringify(pageLayoutSchema.parse(input.layout));
  const clash = await db.prisma.userView.findUnique({ where: { user_kind_name: { user, kind: PAGE_KIND, name: input.name } } });
  if (clash && clash.id !== input.id) throw nameTaken(input.name);
  if (!input.id) {
    const row = await db.prisma.userView.create({
      data: { id: randomUUID(), user, kind: PAGE_KIND, name: input.name, layout, shared: input.shared },
    });
    return toPage(row, user);
  }
  const existing = await db.prisma.userView.findUnique({ where: { id: input.id } });
  if (!existing || existing.kind !== PAGE_KIND) throw new AppError('NOT_FOUND', `There is no page ${input.id}`);
  if (existing.user !== user) {
    throw new AppError('FORBIDDEN', `This page belongs to ${existing.user}: save a copy to change it`);
  }
  const row = await db.prisma.userView.update({ where: { id: input.id }, data: { name: input.name, layout, shared: input.shared } });
  return toPage(row, user);
}

/** Saves someone's shared page (or one's own) as a new page of the user's. */
export async function copyPage(db: Database, user: string, id: string, name?: string): Promise<PageView> {
  const source = await getPage(db, user, id);
  let copyName = name?.trim() || (source.mine ? `${source.name} (copy)` : `${source.name} (from ${source.user})`);
  if (!name) {
    // Without a chosen name, find a free one rather than refusing.
    for (let n = 2; await db.prisma.userView.findUnique({ where: { user_kind_name: { user, kind: PAGE_KIND, name: copyName } } }); n++) {
      copyName = `${source.mine ? `${source.name} (copy` : `${source.name} (from ${source.user}`} ${n})`;
    }
  }
  return savePage(db, user, { name: copyName.slice(0, 80), layout: source.layout, shared: true });
}

export async function deletePage(db: Database, user: string, id: string): Promise<void> {
  const existing = await db.prisma.userView.findUnique({ where: { id } });
  if (!existing || existing.kind !== PAGE_KIND) throw new AppError('NOT_FOUND', `There is no page ${id}`);
  if (existing.user !== user) throw new AppError('FORBIDDEN', `This page belongs to ${existing.user}; only they can delete it`);
  await db.prisma.userView.delete({ where: { id } });
}

/**
 * The role whose default page a person gets: their facility-wide or show grants (wrangler
 * before production before artist); people without an account row are artists.
 */
export async function pageRole(db: Database, user: string): Promise<PageRole> {
  const account = await db.prisma.user.findUnique({ where: { name: user }, select: { admin: true, grants: { select: { role: true } } } });
  if (!account) return 'artist';
  const roles = new Set(account.grants.map((g) => g.role.toUpperCase()));
  if (account.admin || roles.has('WRANGLER')) return 'wrangler';
  if (roles.has('PRODUCTION')) return 'production';
  return 'artist';
}

/** The pages to offer: the user's own, or their role's default when they have none. */
export async function myPages(
  db: Database,
  user: string,
): Promise<{ pages: PageView[]; role: PageRole; suggested: { name: string; layout: PageLayout } }> {
  const [pages, role] = await Promise.all([listPages(db, user), pageRole(db, user)]);
  return { pages, role, suggested: defaultPage(role) };
}
