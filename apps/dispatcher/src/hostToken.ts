/**
 * The shared secret rqd hosts present. From FARMHAND_HOST_TOKEN when set; otherwise made once
 * into `<dataDir>/host-token` (readable by its owner only), where a local rqd finds it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function hostTokenPath(dataDir: string): string {
  return path.join(dataDir, 'host-token');
}

export function resolveHostToken(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = hostTokenPath(dataDir);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const token = randomBytes(24).toString('base64url');
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return token;
  }
}
