/**
 * Opaque secrets (session cookies, API tokens, host tokens) and password hashes. Tokens are
 * 32 random bytes from node's CSPRNG; only their SHA-256 is stored (a database leak gives no
 * usable token; a fast hash is right here because the token has 256 bits of entropy, unlike a
 * password). Passwords are hashed with argon2id (@node-rs/argon2, its default parameters).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export interface OpaqueToken {
  /** What the holder presents, e.g. `fh_1a2b…` (shown once). */
  token: string;
  /** The first characters, kept to tell tokens apart in lists. */
  prefix: string;
  hash: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newOpaqueToken(kind: 'fh' | 'fhs' | 'fhh'): OpaqueToken {
  const token = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, kind.length + 5), hash: sha256(token) };
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A hash of nothing anyone knows: verified against when the user does not exist, so both answers take as long. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
