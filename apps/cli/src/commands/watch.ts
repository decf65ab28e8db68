/**
 * `farmhand watch JOB`: a progress bar of the job's frames until it ends, by polling the REST
 * API (the CLI talks to the web only, never to the dispatcher). Exits 0 when SUCCEEDED, 10
 * when FAILED, 11 when KILLED, so `farmhand watch $id && publish` works in a script.
 */
import type { JobRowDto } from '@farmhand/contracts';
import cliProgress from 'cli-progress';
import type { Cli } from '../context';
import { EXIT } from '../exitCodes';

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'KILLED']);

function summary(j: JobRowDto): string {
  const c = j.counts;
  return `${j.state}${j.paused ? ' (paused)' : ''}: ${c.SUCCEEDED + c.EATEN}/${j.totalFrames} done, ${c.RUNNING + c.SETUP} running, ${c.WAITING} waiting, ${c.DEPEND} depend, ${c.DEAD} dead`;
}

export async function watch(cli: Cli, jobId: string, o: { interval?: string }): Promise<number> {
  const intervalMs = Number(o.interval ?? 1000);
  const tty = process.stdout.isTTY && !cli.json;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: '{bar} {percentage}% | {value}/{total} frames | {status}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let last = '';
  let job: JobRowDto;
  for (;;) {
    const detail = await cli.client.job(jobId);
    job = detail;
    const done = job.counts.SUCCEEDED + job.counts.EATEN;
    const line = summary(job);
    if (bar) {
      if (last === '') bar.start(job.totalFrames, done, { status: line });
      else bar.update(done, { status: line });
    } else if (line !== last)
      cli.out(cli.json ? JSON.stringify({ id: job.id, state: job.state, counts: job.counts, totalFrames: job.totalFrames }) : line);
    last = line;
    if (ENDED.has(job.state)) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  bar?.stop();
  return job.state === 'SUCCEEDED' ? EXIT.OK : job.state === 'KILLED' ? EXIT.JOB_KILLED : EXIT.JOB_FAILED;
}
