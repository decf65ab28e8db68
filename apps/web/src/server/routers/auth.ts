/**
 * Signing in and out, who am I, my API tokens, and the live ticket a page presents to the
 * dispatcher's /live. Sign-in sets the session cookies (see auth/request.ts).
 */
import { apiTokenInputSchema, signInSchema } from '@farmhand/contracts';
import { signLiveTicket } from '@farmhand/contracts/live-ticket';
import { z } from 'zod';
import { account, publicProcedure, visibleJobs } from '../access';
import { endSession, signIn } from '../auth/accounts';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/apiTokens';
import { clearedCookies, clientAddress, sessionCookies } from '../auth/request';
import { router } from '../trpc';

/** A live ticket lasts this long; the page asks for a new one on every (re)connect. */
const LIVE_TICKET_MS = 5 * 60_000;

export const authRouter = router({
  /** Who is signed in (null: nobody), and whether this server needs sign-in at all. */
  me: publicProcedure.query(({ ctx }) => ({
    mode: ctx.authConfig.mode,
    ldap: ctx.authConfig.ldap !== null,
    actor: ctx.actor,
    csrf: ctx.authState.session?.csrfToken ?? null,
  })),
  signIn: publicProcedure.input(signInSchema).mutation(async ({ ctx, input }) => {
    const session = await signIn(await ctx.db(), ctx.authConfig, input, clientAddress(ctx.req));
    for (const c of sessionCookies(ctx.req, session)) ctx.resHeaders.append('set-cookie', c);
    return { actor: session.actor, expiresAt: session.expiresAt.toISOString() };
  }),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.authState.session) await endSession(await ctx.db(), ctx.authState.session.id);
    for (const c of clearedCookies(ctx.req)) ctx.resHeaders.append('set-cookie', c);
    return { signedOut: true };
  }),
  /** A short-lived signed ticket for the dispatcher's /live: which shows' rooms this browser may join. */
  liveTicket: publicProcedure.query(({ ctx }) => {
    if (!ctx.actor) return { ticket: null };
    const visible = visibleJobs(ctx.actor);
    const ticket = {
      user: ctx.actor.name,
      shows: visible === 'all' ? ('all' as const) : visible.shows,
      exp: Date.now() + LIVE_TICKET_MS,
    };
    return { ticket: signLiveTicket(ticket, ctx.authConfig.liveSecret()) };
  }),
  tokens: account.query(async ({ ctx }) => listApiTokens(await ctx.db(), ctx.user)),
  createToken: account.input(apiTokenInputSchema).mutation(async ({ ctx, input }) => createApiToken(await ctx.db(), ctx.user, input)),
  revokeToken: account
    .input(z.object({ tokenId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => revokeApiToken(await ctx.db(), ctx.user, input.tokenId)),
});
