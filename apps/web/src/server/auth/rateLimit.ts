/**
 * Sign-in rate limiting: failed attempts counted per user name and per client address in a
 * fixed window (rate-limiter-flexible's in-memory limiter); over the limit, sign-in answers
 * 429 with the seconds to wait, without checking the password (so guessing cannot continue).
 * In memory per web process: with several web processes behind a balancer each counts its own
 * share, which still caps guessing at (processes × limit) per window.
 */
import { AppError } from '@farmhand/contracts';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Failed attempts allowed per window, per user name and per address. */
  failures: number;
  windowS: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { failures: 5, windowS: 15 * 60 };

export class SignInLimiter {
  private readonly byName: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {
    this.byName = new RateLimiterMemory({ keyPrefix: 'name', points: limits.failures, duration: limits.windowS });
    // An address may try a few names: a shared office NAT must not lock everybody out at once.
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'addr', points: limits.failures * 4, duration: limits.windowS });
  }

  /** Throws RATE_LIMITED when this name or address has used up its failures. */
  async check(name: string, address: string): Promise<void> {
    const [n, a] = await Promise.all([this.byName.get(name.toLowerCase()), this.byAddress.get(address)]);
    const blocked: RateLimiterRes[] = [];
    if (n && n.consumedPoints >= this.byName.points) blocked.push(n);
    if (a && a.consumedPoints >= this.byAddress.points) blocked.push(a);
    if (blocked.length > 0) {
      const wait = Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000);
      throw new AppError('RATE_LIMITED', `Too many failed sign-ins: try again in ${wait} s`);
    }
  }

  async failed(name: string, address: string): Promise<void> {
    await Promise.all([
      this.byName.penalty(name.toLowerCase(), 1).catch(() => undefined),
      this.byAddress.penalty(address, 1).catch(() => undefined),
    ]);
  }

  async succeeded(name: string): Promise<void> {
    await this.byName.delete(name.toLowerCase());
  }
}
