/**
 * The web app's production build, shared by `npm start` and `npm run bench:ui`: built once,
 * and again only when a source it is built from changed since (`next build` takes about a
 * minute on 2 cores). Each stack names its own build folder (`FARMHAND_WEB_DIST_DIR`) so
 * stacks side by side never build over each other.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const webDir = path.join(root, 'apps/web');

/** True when there is no production build in `distDir`, or a source it is built from changed since. */
export function webBuildIsStale(distDir: string): boolean {
  const buildId = path.join(webDir, distDir, 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const sources = ['apps/web/src', 'apps/web/next.config.ts', 'packages/ui/src', 'packages/contracts/src', 'packages/db/src'];
  const newer = (p: string): boolean => {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) return false;
    const stat = fs.statSync(full);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return fs.readdirSync(full).some((name) => name !== 'generated' && newer(path.join(p, name)));
  };
  return sources.some(newer);
}

/** Builds the web app into `env.FARMHAND_WEB_DIST_DIR` (default `.next`) when stale. */
export async function ensureWebBuild(env: Record<string, string>, log: (line: string) => void = console.log): Promise<void> {
  if (!webBuildIsStale(env.FARMHAND_WEB_DIST_DIR || process.env.FARMHAND_WEB_DIST_DIR || '.next')) return;
  log('web: building the web app (next build), once per change of its sources…');
  const build = spawn(path.join(root, 'node_modules/.bin/next'), ['build'], {
    cwd: webDir,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((r) => build.on('exit', r));
  if (code !== 0) throw new Error('the web app did not build');
}
