/**
 * The `farmhand` command line: subcommands over the SDK, tables for people and `--json` for
 * scripts, and exit codes that say what went wrong (exitCodes.ts). `run(argv)` answers the
 * exit code instead of exiting, so tests can run it in-process as well as as a process.
 */
import { Command, CommanderError, Option } from 'commander';
import { actions } from './commands/actions';
import { jobs } from './commands/jobs';
import { log } from './commands/log';
import { submit } from './commands/submit';
import { watch } from './commands/watch';
import { addWebhook, deleteWebhook, listWebhooks, notifications, testWebhook, webhookDeliveries } from './commands/webhooks';
import { type Cli, type GlobalOptions, makeCli } from './context';
import { CliError, EXIT, EXIT_HELP, exitCodeOf } from './exitCodes';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  write(chunk: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  write: (c) => process.stdout.write(c),
};

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command('farmhand')
    .description("Farmhand's command line: submit work, follow it, act on it")
    .addOption(new Option('--url <url>', 'the Farmhand web app').env('FARMHAND_URL').default('http://127.0.0.1:3000'))
    .addOption(new Option('--user <name>', 'who you are on a farm without sign-in (local mode)').env('FARMHAND_USER'))
    .addOption(new Option('--token <token>', 'your API token (make one on the web page /account)').env('FARMHAND_TOKEN'))
    .option('--json', 'machine-readable output')
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.write(s), writeErr: (s) => io.write(s) });
  const cli = (): Cli => makeCli(program.opts<GlobalOptions>(), io);
  const act =
    <A extends unknown[]>(fn: (cli: Cli, ...args: A) => Promise<number>) =>
    async (...args: A) => {
      code = await fn(cli(), ...args);
    };

  program
    .command('submit <file>')
    .description('submit a Farmhand spec (.yaml/.json), an OpenJD template, a DAGMan .dag or an OpenCue .xml')
    .option('--show <show>', 'the show, for formats that do not name one')
    .addOption(
      new Option('--format <format>', 'the file format (default: from its name and content)').choices([
        'farmhand',
        'openjd',
        'dagman',
        'opencue',
      ]),
    )
    .option('--param <name=value...>', 'OpenJD job parameter values')
    .option('--dry-run', 'import and validate only')
    .action(act((c, file: string, o) => submit(c, file, o)));
  program
    .command('jobs')
    .description('list jobs, newest first')
    .option('--show <show>')
    .option('--shot <shot>')
    .option('--user <user>', 'whose jobs')
    .option('--state <states>', 'e.g. RUNNING,PENDING')
    .option('--name <text>', 'part of the name')
    .option('--limit <n>', 'rows per page', '100')
    .option('--all', 'every page')
    .action(act((c, o) => jobs(c, o)));
  program
    .command('watch <job>')
    .description('a progress bar until the job ends; exit 0 SUCCEEDED, 10 FAILED, 11 KILLED')
    .option('--interval <ms>', 'how often to look', '1000')
    .action(act((c, job: string, o) => watch(c, job, o)));
  program
    .command('log <frame>')
    .description("a frame's log (its latest attempt unless --attempt)")
    .option('--attempt <n>')
    .option('-f, --follow', 'keep printing until the attempt stops')
    .option('--interval <ms>', 'how often to look when following', '500')
    .action(act((c, frame: string, o) => log(c, frame, o, io.write)));
  for (const [name, description] of [
    ['retry', 'retry frames (default: every DEAD frame)'],
    ['eat', 'eat frames (default: every DEAD frame)'],
    ['kill', 'kill the job, or only --frames'],
  ] as const)
    program
      .command(`${name} <job>`)
      .description(description)
      .option('--frames <ids>', 'frame ids, comma-separated')
      .action(act((c, job: string, o: { frames?: string }) => actions[name](c, job, o)));
  program
    .command('pause <job>')
    .description('pause a job')
    .action(act((c, job: string) => actions.pause(c, job)));
  program
    .command('resume <job>')
    .description('resume a paused job')
    .action(act((c, job: string) => actions.resume(c, job)));
  program
    .command('priority <job> <priority>')
    .description("set a job's priority")
    .action(act((c, job: string, p: string) => actions.priority(c, job, p)));
  const webhooks = program
    .command('webhooks')
    .description('your webhooks: farm events POSTed to a URL, signed (list without a subcommand)')
    .action(act((c) => listWebhooks(c)));
  webhooks
    .command('add <url>')
    .description('add a webhook for your jobs, or --show for every job of a show')
    .option('--events <kinds>', 'job.finished, job.dead_frames, frame.failed, host.down (comma-separated)', 'job.finished,job.dead_frames')
    .option('--show <show>', 'every job of this show')
    .option('--secret <secret>', 'the signing secret (default: generated, printed once)')
    .action(act((c, url: string, o) => addWebhook(c, url, o)));
  webhooks
    .command('test <id>')
    .description('send a signed webhook.test event now')
    .action(act((c, id: string) => testWebhook(c, id)));
  webhooks
    .command('deliveries <id>')
    .description("a webhook's delivery log, newest first")
    .option('--limit <n>', 'rows', '50')
    .action(act((c, id: string, o) => webhookDeliveries(c, id, o)));
  webhooks
    .command('rm <id>')
    .description('delete a webhook and its delivery log')
    .action(act((c, id: string) => deleteWebhook(c, id)));
  program
    .command('notifications')
    .description('your notifications, newest first (* unread)')
    .option('--unread', 'only unread ones')
    .option('--read', 'mark them all read')
    .option('--limit <n>', 'rows', '50')
    .action(act((c, o) => notifications(c, o)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.INVALID;
    if (error instanceof CliError) {
      io.err(`farmhand: ${error.message}`);
      return error.exitCode;
    }
    const e = error as Error & { fields?: { path: string; message: string }[] };
    io.err(`farmhand: ${e.message}`);
    return exitCodeOf(error);
  }
}
