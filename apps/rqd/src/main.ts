/**
 * The rqd command: `npm run start -w @farmhand/rqd -- --dispatcher http://host:8700 --token T`.
 * Parses settings, starts one real host (or N simulated ones with --simulate N), and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { parseCommandLine, USAGE } from './options';
import { startRqd } from './rqd';
import { startSimulation } from './simulation/startSimulation';

function main(): void {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  let stop: () => Promise<void>;
  try {
    if (parsed.simulation) {
      const simulation = startSimulation(parsed.options, parsed.simulation);
      stop = () => simulation.stop();
    } else {
      const rqd = startRqd(parsed.options);
      stop = () => rqd.stop();
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) process.exit(1); // a second signal: leave now
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main();
