/** Hosts: the farm's hosts with allocation, state, lock and idle cores. */

import { farmRead } from '../access';
import { listHosts } from '../services/hosts';
import { router } from '../trpc';

export const hostsRouter = router({
  list: farmRead.query(async ({ ctx }) => listHosts(await ctx.db())),
});
