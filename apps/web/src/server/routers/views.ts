/**
 * Views kept per user: grids' arrangements (`views.grid`, `views.saveGrid`, `views.clearGrid`)
 * and composed pages (`views.pages` mine plus my role's default, `views.page` by id — mine or
 * shared, `views.savePage`, `views.copyPage`, `views.deletePage`). Who is `ctx.user`; every
 * procedure is the caller's own (`account` access).
 */
import { gridIdSchema, gridViewSchema, pageNameSchema, savePageSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { account } from '../access';
import { clearGridView, copyPage, deletePage, getGridView, getPage, myPages, saveGridView, savePage } from '../services/views';
import { router } from '../trpc';

const byId = z.object({ id: z.string().min(1) });
const gridInput = z.object({ grid: gridIdSchema });

export const viewsRouter = router({
  grid: account.input(gridInput).query(async ({ ctx, input }) => ({ view: await getGridView(await ctx.db(), ctx.user, input.grid) })),
  saveGrid: account
    .input(gridInput.extend({ view: gridViewSchema }))
    .mutation(async ({ ctx, input }) => saveGridView(await ctx.db(), ctx.user, input.grid, input.view)),
  clearGrid: account.input(gridInput).mutation(async ({ ctx, input }) => clearGridView(await ctx.db(), ctx.user, input.grid)),
  pages: account.query(async ({ ctx }) => myPages(await ctx.db(), ctx.user)),
  page: account.input(byId).query(async ({ ctx, input }) => getPage(await ctx.db(), ctx.user, input.id)),
  savePage: account.input(savePageSchema).mutation(async ({ ctx, input }) => savePage(await ctx.db(), ctx.user, input)),
  copyPage: account
    .input(byId.extend({ name: pageNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => copyPage(await ctx.db(), ctx.user, input.id, input.name)),
  deletePage: account.input(byId).mutation(async ({ ctx, input }) => deletePage(await ctx.db(), ctx.user, input.id)),
});
