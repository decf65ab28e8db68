/**
 * Talking to the dispatcher over its HTTP interface (contracts/commands.ts): wake it to apply
 * a stored command, and ask its health. "Unreachable" is an answer here, not an exception:
 * the command stays in the inbox and the dispatcher applies it when it comes back.
 */
import type { CommandResult, DispatcherHealth } from '@farmhand/contracts';

export type ApplyAnswer = { reached: true; result: CommandResult } | { reached: false; reason: string };

/** A submission of many frames can take the dispatcher a while to persist. */
const APPLY_TIMEOUT_MS = 60_000;
const HEALTH_TIMEOUT_MS = 2_000;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    if (error.name === 'TimeoutError') return 'it did not answer in time';
    if (cause?.code) return cause.code;
    return error.message;
  }
  return String(error);
}

function isCommandResult(value: unknown): value is CommandResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && (v.status === 'PENDING' || v.status === 'APPLIED' || v.status === 'FAILED');
}

export async function applyCommand(dispatcherUrl: string, commandId: number): Promise<ApplyAnswer> {
  let response: Response;
  try {
    response = await fetch(`${dispatcherUrl}/commands/${commandId}/apply`, {
      method: 'POST',
      signal: AbortSignal.timeout(APPLY_TIMEOUT_MS),
    });
  } catch (error) {
    return { reached: false, reason: describe(error) };
  }
  const body: unknown = await response.json().catch(() => null);
  if (isCommandResult(body)) return { reached: true, result: body };
  return { reached: false, reason: `it answered HTTP ${response.status} without a command result` };
}

export type HealthAnswer = DispatcherHealth | { state: 'unreachable'; reason: string };

export async function dispatcherHealth(dispatcherUrl: string): Promise<HealthAnswer> {
  try {
    const response = await fetch(`${dispatcherUrl}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!response.ok) return { state: 'unreachable', reason: `it answered HTTP ${response.status}` };
    return (await response.json()) as DispatcherHealth;
  } catch (error) {
    return { state: 'unreachable', reason: describe(error) };
  }
}
