/** What every subcommand shares: the client (URL and user from flags or environment) and how to print. */
import os from 'node:os';
import { FarmhandClient } from '@farmhand/sdk';

export interface GlobalOptions {
  url: string;
  user?: string;
  token?: string;
  json?: boolean;
}

export interface Cli {
  client: FarmhandClient;
  user: string;
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function makeCli(options: GlobalOptions, io: { out(text: string): void; err(text: string): void }): Cli {
  const user = options.user ?? process.env.FARMHAND_USER ?? os.userInfo().username;
  const token = options.token ?? process.env.FARMHAND_TOKEN;
  return {
    client: new FarmhandClient({ baseUrl: options.url, user, ...(token ? { token } : {}) }),
    user,
    json: options.json === true,
    ...io,
  };
}

/** `1,2,5` → [1, 2, 5]. */
export function parseIds(text: string): number[] {
  const ids = text.split(',').map((t) => Number(t.trim()));
  if (ids.some((n) => !Number.isSafeInteger(n))) throw new Error(`'${text}' is not a comma-separated list of frame ids`);
  return ids;
}
