/** `farmhand retry | kill | eat | pause | resume | priority`: one command each, stored and applied by the dispatcher. */
import type { CommandAnswerDto } from '@farmhand/contracts';
import { type Cli, parseIds } from '../context';
import { EXIT } from '../exitCodes';

function report(cli: Cli, answer: CommandAnswerDto): number {
  if (cli.json) cli.out(JSON.stringify(answer));
  else {
    const outcome = answer.outcome
      ? ` ${Object.entries(answer.outcome)
          .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join(' ')}`
      : '';
    cli.out(`${answer.message}${outcome}`);
  }
  return EXIT.OK;
}

export const actions = {
  retry: async (cli: Cli, job: string, o: { frames?: string }) =>
    report(cli, await cli.client.retry(job, o.frames ? parseIds(o.frames) : undefined)),
  eat: async (cli: Cli, job: string, o: { frames?: string }) =>
    report(cli, await cli.client.eat(job, o.frames ? parseIds(o.frames) : undefined)),
  kill: async (cli: Cli, job: string, o: { frames?: string }) =>
    report(cli, o.frames ? await cli.client.killFrames(job, parseIds(o.frames)) : await cli.client.kill(job)),
  pause: async (cli: Cli, job: string) => report(cli, await cli.client.pause(job)),
  resume: async (cli: Cli, job: string) => report(cli, await cli.client.resume(job)),
  priority: async (cli: Cli, job: string, priority: string) => report(cli, await cli.client.setPriority(job, Number(priority))),
};
