/**
 * The command tokens a layer's command may use, replaced by rqd just before the frame runs
 * (nothing is translated server-side). A `#WORD#` in capitals that is not a token is refused at
 * launch, because a mistyped token would otherwise render the wrong frame silently.
 */
import { type FrameLaunch, formatFrameList } from '@farmhand/contracts';

export const COMMAND_TOKENS = [
  'FRAME',
  'ZFRAME',
  'IFRAME',
  'FRAME_START',
  'FRAME_END',
  'FRAME_CHUNK',
  'FRAMESPEC',
  'LAYER',
  'JOB',
  'SHOW',
  'SHOT',
  'USER',
  'LOGDIR',
] as const;
export type CommandToken = (typeof COMMAND_TOKENS)[number];

const TOKEN_PATTERN = /#([A-Z][A-Z0-9_]*)#/g;

/** `7` → `0007`, `-7` → `-0007`: zero-padded to four digits as most renderers name files. */
export function zeroPad(frame: number): string {
  const digits = String(Math.abs(frame)).padStart(4, '0');
  return frame < 0 ? `-${digits}` : digits;
}

/** What each token stands for in this launch. */
export function tokenValues(launch: FrameLaunch, logDir: string): Record<CommandToken, string> {
  const first = launch.frames[0] as number;
  const last = launch.frames[launch.frames.length - 1] as number;
  return {
    FRAME: String(first),
    ZFRAME: zeroPad(first),
    IFRAME: String(first),
    FRAME_START: String(first),
    FRAME_END: String(last),
    FRAME_CHUNK: String(launch.frames.length),
    FRAMESPEC: formatFrameList(launch.frames),
    LAYER: launch.layerName,
    JOB: launch.jobName,
    SHOW: launch.show,
    SHOT: launch.shot,
    USER: launch.user,
    LOGDIR: logDir,
  };
}

/** Capitalised `#WORD#`s in the command that are not tokens, e.g. a mistyped `#FRAMES#`. */
export function unknownTokens(command: string): string[] {
  const known = new Set<string>(COMMAND_TOKENS);
  const unknown = new Set<string>();
  for (const match of command.matchAll(TOKEN_PATTERN)) if (!known.has(match[1] as string)) unknown.add(`#${match[1]}#`);
  return [...unknown];
}

export function expandCommand(command: string, values: Record<CommandToken, string>): string {
  return command.replace(TOKEN_PATTERN, (whole, name: string) => (name in values ? values[name as CommandToken] : whole));
}
