/**
 * Signing and checking live tickets (server side only: node:crypto; import
 * `@farmhand/contracts/live-ticket`). The web signs a ticket for a signed-in browser; the
 * dispatcher's /live checks it before a socket may join a show's rooms. HMAC-SHA256 over the
 * ticket's JSON with a secret both share: FARMHAND_LIVE_SECRET, or one made once into
 * `<dataDir>/live-secret` (separate from the host token, so a render host cannot forge one).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type LiveTicket, liveTicketSchema } from './access';

export function signLiveTicket(ticket: LiveTicket, secret: string): string {
  const body = Buffer.from(JSON.stringify(ticket)).toString('base64url');
  const mac = createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${mac}`;
}

/** The ticket when its signature holds and it has not expired; otherwise null. */
export function verifyLiveTicket(text: unknown, secret: string, now: number): LiveTicket | null {
  if (typeof text !== 'string') return null;
  const [body, mac] = text.split('.');
  if (!body || !mac) return null;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const ticket = liveTicketSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return ticket.exp > now ? ticket : null;
  } catch {
    return null;
  }
}

/** FARMHAND_LIVE_SECRET when set; otherwise `<dataDir>/live-secret`, made by whichever process starts first. */
export function resolveLiveSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'live-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // The other process made it first: read theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}
