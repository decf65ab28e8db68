/** Shows: for the submit form's select and the jobs filter. */
import { listShows } from '../services/shows';
import { procedure, router } from '../trpc';

export const showsRouter = router({
  list: procedure.query(async ({ ctx }) => listShows(await ctx.db())),
});
