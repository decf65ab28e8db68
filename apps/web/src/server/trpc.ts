/**
 * tRPC's setup: the request context (database, settings, who asks) and the one error
 * formatter: every error leaves with a stable `appCode` and, for bad input, the fields at
 * fault (`layers[0].range`), so the form can show each message by its field.
 *
 * Every procedure declares what it needs in its meta (`AccessMeta`, see access.ts); the
 * `authorized` middleware below checks it (and CSRF on mutations) before the procedure runs.
 */
import { type Actor, AppError, type FieldError } from '@farmhand/contracts';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { TRPC_CODES, toAppError } from './appErrors';
import { type AccessMeta, authorize } from './auth/authorize';
import type { AuthConfig } from './auth/config';
import { authenticate, checkCsrf, type RequestAuth } from './auth/request';
import { authOf, type WebDeps, webDeps } from './deps';

export interface Context extends WebDeps {
  /** Who asks (`User.name`); recorded on commands. */
  user: string;
  /** The signed-in actor (null: nobody), as contracts' `can()` sees them. */
  actor: Actor | null;
  authState: RequestAuth;
  authConfig: AuthConfig;
  req: Request;
  /** Headers added to the response (Set-Cookie at sign-in and sign-out). */
  resHeaders: Headers;
}

export async function createContext(req: Request, deps: WebDeps = webDeps(), resHeaders: Headers = new Headers()): Promise<Context> {
  const authConfig = authOf(deps);
  const authState = await authenticate(req, await deps.db(), authConfig);
  return { ...deps, user: authState.actor?.name ?? 'anonymous', actor: authState.actor, authState, authConfig, req, resHeaders };
}

const t = initTRPC
  .context<Context>()
  .meta<AccessMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const app = cause instanceof AppError ? cause : cause instanceof ZodError ? toAppError(cause) : null;
      const fields: FieldError[] = app?.fields ?? [];
      return { ...shape, message: app?.message ?? shape.message, data: { ...shape.data, appCode: app?.code ?? null, fields } };
    },
  });

/** Errors thrown by services (AppError, ZodError, anything) answer with their mapped code. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR' && result.error.cause) {
    const app = toAppError(result.error.cause);
    throw new TRPCError({ code: TRPC_CODES[app.code], message: app.message, cause: app });
  }
  return result;
});

/** Access: the procedure's declared rule, and CSRF on mutations made with a session cookie. */
const authorized = t.middleware(async ({ ctx, meta, path, type, getRawInput, next }) => {
  if (type === 'mutation') checkCsrf(ctx.req, ctx.authState);
  const raw = (await getRawInput().catch(() => undefined)) ?? {};
  await authorize(await ctx.db(), ctx.authState, meta, path, raw as Record<string, unknown>);
  return next();
});

export const router = t.router;
/** The base of every procedure: build them with the builders in access.ts, which declare access. */
export const procedure = t.procedure.use(mapErrors).use(authorized);
export const createCallerFactory = t.createCallerFactory;
