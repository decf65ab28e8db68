/** `farmhand jobs`: the jobs list with filters, newest first; `--all` follows every page. */
import type { JobRowDto } from '@farmhand/contracts';
import type { Cli } from '../context';
import { EXIT } from '../exitCodes';
import { table } from '../table';

export interface JobsOptions {
  show?: string;
  shot?: string;
  user?: string;
  state?: string;
  name?: string;
  limit?: string;
  all?: boolean;
}

export async function jobs(cli: Cli, o: JobsOptions): Promise<number> {
  const filter = {
    ...(o.show ? { show: o.show } : {}),
    ...(o.shot ? { shot: o.shot } : {}),
    ...(o.user ? { user: o.user } : {}),
    ...(o.state ? { state: o.state } : {}),
    ...(o.name ? { name: o.name } : {}),
    limit: Number(o.limit ?? 100),
  };
  const rows: JobRowDto[] = [];
  if (o.all) for await (const j of cli.client.all(cli.client.jobs, filter)) rows.push(j);
  else rows.push(...(await cli.client.jobs(filter)).items);
  if (cli.json) {
    cli.out(JSON.stringify(rows));
    return EXIT.OK;
  }
  cli.out(
    table(
      ['ID', 'NAME', 'SHOW', 'SHOT', 'USER', 'STATE', 'PRI', 'DONE', 'RUN', 'DEAD', 'TOTAL'],
      rows.map((j) => [
        j.id,
        j.name,
        j.show,
        j.shot,
        j.user,
        j.paused ? `${j.state} (paused)` : j.state,
        j.priority,
        j.counts.SUCCEEDED + j.counts.EATEN,
        j.counts.RUNNING + j.counts.SETUP,
        j.counts.DEAD,
        j.totalFrames,
      ]),
    ),
  );
  return EXIT.OK;
}
