/**
 * tRPC's setup: the request context (database, settings, who asks) and the one error
 * formatter: every error leaves with a stable `appCode` and, for bad input, the fields at
 * fault (`layers[0].range`), so the form can show each message by its field.
 */
import { AppError, type FieldError } from '@farmhand/contracts';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { TRPC_CODES, toAppError } from './appErrors';
import { type WebDeps, webDeps } from './deps';

export interface Context extends WebDeps {
  /** Who asks (the `x-farmhand-user` header until accounts exist); recorded on commands. */
  user: string;
}

export function createContext(req: Request, deps: WebDeps = webDeps()): Context {
  const user = req.headers.get('x-farmhand-user')?.trim() || 'anonymous';
  return { ...deps, user };
}

const t = initTRPC.context<Context>().create({
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

export const router = t.router;
export const procedure = t.procedure.use(mapErrors);
export const createCallerFactory = t.createCallerFactory;
