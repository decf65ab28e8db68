/** The `farmhand` process: runs the command line and exits with its code. */
import { run } from './program';

process.exitCode = await run(process.argv.slice(2));
