/** The dispatcher process: `npm run start -w @farmhand/dispatcher`. Settings come from the environment. */
import { loadSettings } from '@farmhand/contracts';
import { loadDispatcherSettings } from './dispatcherSettings';
import { startDispatcher } from './server';

try {
  const running = await startDispatcher({
    settings: loadSettings(process.env),
    ...loadDispatcherSettings(process.env),
  });
  const shutdown = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (e) {
  console.error(`dispatcher: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
