/** Hosts: the farm's hosts with allocation, state, lock and idle cores. */
import { listHosts } from '../services/hosts';
import { procedure, router } from '../trpc';

export const hostsRouter = router({
  list: procedure.query(async ({ ctx }) => listHosts(await ctx.db())),
});
