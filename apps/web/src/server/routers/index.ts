/** The web's tRPC API: what pages ask (jobs, hosts, shows, the farm, why, production) and do (commands). */
import { router } from '../trpc';
import { adminRouter } from './admin';
import { authRouter } from './auth';
import { commandsRouter } from './commands';
import { farmRouter } from './farm';
import { hostsRouter } from './hosts';
import { importsRouter } from './imports';
import { jobsRouter } from './jobs';
import { logRulesRouter } from './logRules';
import { mediaRouter } from './media';
import { notificationsRouter } from './notifications';
import { productionRouter } from './production';
import { showsRouter } from './shows';
import { viewsRouter } from './views';
import { webhooksRouter } from './webhooks';
import { whyRouter } from './why';

export const appRouter = router({
  logRules: logRulesRouter,
  media: mediaRouter,
  auth: authRouter,
  admin: adminRouter,
  jobs: jobsRouter,
  hosts: hostsRouter,
  shows: showsRouter,
  commands: commandsRouter,
  farm: farmRouter,
  why: whyRouter,
  production: productionRouter,
  views: viewsRouter,
  webhooks: webhooksRouter,
  imports: importsRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
