/**
 * Browser journeys against the whole farm as `npm start` runs it — dispatcher, web (production
 * build) and a local rqd on a fresh embedded database — in Debian's Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './chromium';

const webPort = Number(process.env.E2E_WEB_PORT ?? 3310);
const dispatcherPort = Number(process.env.E2E_DISPATCHER_PORT ?? 8810);
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-e2e-'));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // One retry in CI, reported as flaky by `npm test` (a known intermittent hang of the first
  // query on /submit under load is being chased); locally a failure fails at once.
  retries: process.env.CI ? 1 : 0,
  outputDir: './test-results',
  use: {
    baseURL: `http://localhost:${webPort}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'npm start',
    cwd: '..',
    url: `http://127.0.0.1:${webPort}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(webPort),
      FARMHAND_DISPATCHER_PORT: String(dispatcherPort),
      FARMHAND_DATA_DIR: dataDir,
      FARMHAND_REPORT_INTERVAL_S: '1',
      DATABASE_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
      FARMHAND_WEB_DIST_DIR: '.next-e2e',
    },
  },
});
