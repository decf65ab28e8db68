/**
 * How every browser run of the repo starts Debian's Chromium (`/usr/bin/chromium`): the
 * Playwright journeys (playwright.config.ts) and the browser benches (bench/*.bench.ts).
 * Headless, no sandbox (CI runs as root in a container), and none of Chromium's background
 * traffic (QUIC, component updates, sync) so that timings measure the farm only.
 */
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
} satisfies LaunchOptions;
