/**
 * Running Debian's ffmpeg (installed by the project's set-up, `.ci/run`): one child process per
 * call, its stderr kept for the reason when it fails.
 */
import { execFile } from 'node:child_process';

export const FFMPEG = process.env.FARMHAND_FFMPEG || 'ffmpeg';

export function ffmpeg(args: string[], options: { binary?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      FFMPEG,
      ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const lines = stderr.toString('utf8').trim().split('\n').filter(Boolean);
          reject(new Error(lines.at(-1) ?? error.message));
        } else resolve(options.binary === false ? Buffer.alloc(0) : stdout);
      },
    );
  });
}
