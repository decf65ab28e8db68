/**
 * How the dispatcher's integration tests start: a farm (`@farmhand/dispatcher/testing`) on a
 * fresh test database, and scripted hosts registered with it — each undone when the current
 * test finishes (vitest runs `onTestFinished` callbacks last-registered first: hosts close, then
 * the farm stops, then the database is dropped). Call inside `it`.
 */
import type { Provider } from '@farmhand/db';
import { createTestDatabase } from '@farmhand/db/testing';
import { expect, onTestFinished } from 'vitest';
import { type Farm, type FarmOptions, startFarm, TOKEN } from '../src/testing';
import { ScriptedHost } from './scriptedHost';

export async function startFreshFarm(provider: Provider, env: Record<string, string> = {}, options: FarmOptions = {}): Promise<Farm> {
  const testDb = await createTestDatabase(provider);
  onTestFinished(() => testDb.drop());
  const farm = await startFarm(testDb.url, env, options);
  onTestFinished(() => farm.stop());
  return farm;
}

/** A scripted host connected to `farm` and registered (the registration must be accepted). */
export async function registeredHost(
  farm: Farm,
  name = 'scripted01',
  options: Parameters<typeof ScriptedHost.connect>[3] = {},
): Promise<ScriptedHost> {
  const h = await ScriptedHost.connect(farm.dispatcher.url, TOKEN, name, options);
  onTestFinished(() => h.close());
  expect(await h.register()).toMatchObject({ ok: true });
  return h;
}
