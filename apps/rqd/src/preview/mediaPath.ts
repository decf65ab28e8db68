/**
 * Resolving a media path under the media root: refused when absolute, when it has `..`, or when
 * a symlink on the way leads outside the root (checked on the real paths, after following links).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { mediaPathError } from '@farmhand/contracts';

export class MediaPathError extends Error {}

async function realpathOfExisting(p: string): Promise<string> {
  // The deepest part of the path that exists, with links followed; the rest is appended as is.
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.realpath(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

/** The absolute path of `rel` under `root`, or a MediaPathError saying why not. */
export async function resolveMediaPath(root: string, rel: string): Promise<string> {
  const lexical = mediaPathError(rel);
  if (lexical) throw new MediaPathError(lexical);
  const realRoot = await realpathOfExisting(path.resolve(root));
  const real = await realpathOfExisting(path.resolve(root, rel));
  if (real !== realRoot && !real.startsWith(realRoot + path.sep))
    throw new MediaPathError(`'${rel}' leads outside the media root (through a symbolic link)`);
  return real;
}
