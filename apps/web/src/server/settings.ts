/**
 * The web's settings, read once from the environment per process (see contracts/settings).
 */
import { loadSettings, type Settings } from '@farmhand/contracts';

let cached: Settings | undefined;

export function getSettings(): Settings {
  cached ??= loadSettings(process.env);
  return cached;
}
