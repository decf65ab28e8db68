/** The web's tRPC API: what pages ask (jobs, hosts, shows) and do (commands). */
import { router } from '../trpc';
import { commandsRouter } from './commands';
import { hostsRouter } from './hosts';
import { jobsRouter } from './jobs';
import { showsRouter } from './shows';

export const appRouter = router({
  jobs: jobsRouter,
  hosts: hostsRouter,
  shows: showsRouter,
  commands: commandsRouter,
});

export type AppRouter = typeof appRouter;
