/**
 * `farmhand log FRAME [--attempt N] [--follow]`: a frame attempt's log. With --follow it keeps
 * reading from the last byte received until the attempt has stopped, then reads once more so
 * the last lines are not lost.
 */
import type { Cli } from '../context';
import { EXIT } from '../exitCodes';

export async function log(
  cli: Cli,
  frameText: string,
  o: { attempt?: string; follow?: boolean; interval?: string },
  write: (chunk: string) => void,
): Promise<number> {
  const frameId = Number(frameText);
  const intervalMs = Number(o.interval ?? 500);
  let attempt = o.attempt === undefined ? undefined : Number(o.attempt);
  let offset = 0;
  for (;;) {
    const chunk = await cli.client.log(frameId, { ...(attempt !== undefined ? { attempt } : {}), offset });
    attempt ??= chunk.attempt;
    if (chunk.text) write(chunk.text);
    offset = chunk.offset;
    if (!o.follow) return EXIT.OK;
    const attempts = await cli.client.attempts(frameId);
    const mine = attempts.find((a) => a.attempt === attempt);
    if (mine?.stoppedAt) {
      const rest = await cli.client.log(frameId, { attempt, offset });
      if (rest.text) write(rest.text);
      return EXIT.OK;
    }
    if (!chunk.text) await new Promise((r) => setTimeout(r, intervalMs));
  }
}
