/**
 * The text rqd writes around a frame's output: a header saying what ran where and how, and a
 * footer saying how it ended and what it used. Same for real and simulated frames.
 */
import type { FrameExited, FrameLaunch } from '@farmhand/contracts';
import { formatFrameList } from '@farmhand/contracts';

export interface HeaderFacts {
  hostName: string;
  command: string;
  userName: string;
  uid: number;
  workingDirectory: string;
  variables: Record<string, string>;
  startedAt: number;
}

export function logHeader(launch: FrameLaunch, facts: HeaderFacts): string {
  const variables = Object.keys(facts.variables)
    .sort()
    .map((key) => `  ${key}=${facts.variables[key]}`)
    .join('\n');
  return [
    '==== Farmhand frame log ====',
    `host:        ${facts.hostName}`,
    `show:        ${launch.show}${launch.shot ? `  shot: ${launch.shot}` : ''}`,
    `job:         ${launch.jobName} (${launch.jobId})`,
    `layer:       ${launch.layerName}`,
    `frame:       ${launch.frames[0]} (frames ${formatFrameList(launch.frames)}), attempt ${launch.attempt}`,
    `booked:      ${launch.cores} cores, ${launch.memoryMb} MB${launch.gpus.length ? `, GPUs ${launch.gpus.join(',')}` : ''}`,
    `user:        ${facts.userName} (uid ${facts.uid})`,
    `directory:   ${facts.workingDirectory}`,
    `command:     ${facts.command}`,
    `started:     ${new Date(facts.startedAt).toISOString()}`,
    'environment:',
    variables,
    '==== output ====',
    '',
  ].join('\n');
}

export function logFooter(exit: FrameExited): string {
  const ending = exit.exitSignal ? `signal ${exit.exitSignal} (exit status ${exit.exitStatus})` : `exit status ${exit.exitStatus}`;
  return [
    '',
    '==== frame finished ====',
    `ended:       ${ending}`,
    `reason:      ${exit.reason}${exit.message ? ` — ${exit.message}` : ''}`,
    `max rss:     ${exit.maxRssMb.toFixed(1)} MB`,
    `cpu time:    ${exit.cpuSeconds.toFixed(2)} s`,
    `wall time:   ${((exit.stoppedAt - exit.startedAt) / 1000).toFixed(2)} s`,
    `stopped:     ${new Date(exit.stoppedAt).toISOString()}`,
    '',
  ].join('\n');
}

/** An rqd note in the middle of the output, on its own line. */
export function logNote(text: string): string {
  return `\n[rqd] ${text}\n`;
}
