/** Shows: for the submit form's select and the jobs filter. */

import { farmRead } from '../access';
import { listShows } from '../services/shows';
import { router } from '../trpc';

export const showsRouter = router({
  list: farmRead.query(async ({ ctx }) => listShows(await ctx.db())),
});
