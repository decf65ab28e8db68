/**
 * `npm test`: everything a change must pass, in order — typecheck, lint, unit tests,
 * integration tests (real processes; SQLite always, PostgreSQL at 127.0.0.1:5432, required when
 * CI=true) and the browser journeys in Debian's Chromium. Ends with one line
 * "test: N passed, N failed" counting the tests of every stage.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-test-'));
let passed = 0;
let failed = 0;
const failedStages: string[] = [];
/** The tests that failed, with the first line of why, repeated at the end (a CI log shows its tail). */
const failedTests: string[] = [];

function stage(name: string, command: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): boolean {
  console.log(`\n━━ ${name} ━━ ${[path.basename(command), ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: opts.cwd ?? root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const ok = r.status === 0;
  console.log(`━━ ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failedStages.push(name);
  return ok;
}

/** Adds the counts of a vitest or Playwright JSON report. */
function count(reportFile: string, kind: 'vitest' | 'playwright'): void {
  if (!fs.existsSync(reportFile)) return;
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  if (kind === 'vitest') {
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const file of report.testResults ?? [])
      for (const t of file.assertionResults ?? [])
        if (t.status !== 'passed') {
          const why = String(t.failureMessages?.[0] ?? t.status).split('\n')[0];
          failedTests.push(`${path.relative(root, file.name)} › ${t.fullName}: ${why}`);
        }
  } else {
    passed += (report.stats?.expected ?? 0) + (report.stats?.flaky ?? 0);
    failed += (report.stats?.unexpected ?? 0) + (report.stats?.skipped ?? 0);
    if (report.stats?.flaky) console.log(`warning: ${report.stats.flaky} browser journey(s) passed only on their retry (flaky)`);
  }
}

// Two programs instead of one per package: the Node side (packages, dispatcher, rqd, scripts,
// e2e) and the web app; each parses the shared types once, which is 3× faster on 2 cores.
const checks =
  stage('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) && stage('typecheck web', bin('tsc'), ['--noEmit', '-p', 'apps/web']);
const lint = stage('lint', bin('biome'), ['check', '.']);
if (checks) passed++;
else failed++;
if (lint) passed++;
else failed++;

const unitReport = path.join(reports, 'unit.json');
stage('unit tests', bin('vitest'), ['run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile=${unitReport}`]);
count(unitReport, 'vitest');

const intReport = path.join(reports, 'integration.json');
stage('integration tests', bin('vitest'), [
  'run',
  '--project',
  'integration',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${intReport}`,
]);
count(intReport, 'vitest');

const e2eReport = path.join(reports, 'e2e.json');
stage('browser journeys', bin('playwright'), ['test', '--reporter=list,json'], {
  cwd: path.join(root, 'e2e'),
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
});
count(e2eReport, 'playwright');

if (failedTests.length > 0) console.log(`\nfailed tests:\n${failedTests.map((t) => `  ${t}`).join('\n')}`);
if (failedStages.length > 0) console.log(`\nfailed stages: ${failedStages.join(', ')}`);
if (failedStages.length > 0 && failed === 0) failed = failedStages.length;
console.log(`\ntest: ${passed} passed, ${failed} failed`);
process.exit(failedStages.length > 0 ? 1 : 0);
