/**
 * Views kept per user: grids' arrangements (`views.grid`, `views.saveGrid`, `views.clearGrid`)
 * and composed pages (`views.pages` mine plus my role's default, `views.page` by id — mine or
 * shared, `views.savePage`, `views.copyPage`, `views.deletePage`). Who is `ctx.user`.
 */
import { gridIdSchema, gridViewSchema, pageNameSchema, savePageSchema } from '@farmhand/contracts';
import { z } from 'zod';
import { clearGridView, copyPage, deletePage, getGridView, getPage, myPages, saveGridView, savePage } from '../services/views';
import { procedure, router } from '../trpc';

const byId = z.object({ id: z.string().min(1) });
const gridInput = z.object({ grid: gridIdSchema });

export const viewsRouter = router({
  grid: procedure.input(gridInput).query(async ({ ctx, input }) => ({ view: await getGridView(await ctx.db(), ctx.user, input.grid) })),
  saveGrid: procedure
    .input(gridInput.extend({ view: gridViewSchema }))
    .mutation(async ({ ctx, input }) => saveGridView(await ctx.db(), ctx.user, input.grid, input.view)),
  clearGrid: procedure.input(gridInput).mutation(async ({ ctx, input }) => clearGridView(await ctx.db(), ctx.user, input.grid)),
  pages: procedure.query(async ({ ctx }) => myPages(await ctx.db(), ctx.user)),
  page: procedure.input(byId).query(async ({ ctx, input }) => getPage(await ctx.db(), ctx.user, input.id)),
  savePage: procedure.input(savePageSchema).mutation(async ({ ctx, input }) => savePage(await ctx.db(), ctx.user, input)),
  copyPage: procedure
    .input(byId.extend({ name: pageNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => copyPage(await ctx.db(), ctx.user, input.id, input.name)),
  deletePage: procedure.input(byId).mutation(async ({ ctx, input }) => deletePage(await ctx.db(), ctx.user, input.id)),
});
