/**
 * `npm run bench:logs`: the live log viewer in Debian's Chromium against a running stack
 * (dispatcher, `next start` of the production build, a real rqd), on a fresh data dir.
 *
 * - logLatencyP50Ms / P95Ms: a frame prints a line every 50 ms with the host's clock in it
 *   (`date +%s%3N`); the job page follows the frame's log live, and the page notes when each
 *   line appears in the DOM (a MutationObserver on the viewer). Browser and host share this
 *   machine's clock, so the difference is print → rqd's file and ~50 ms chunk → dispatcher →
 *   `/live` → the viewer, painted. Target p95 ≤ 250 ms.
 * - openTailOf1GBMs: a finished frame's log grown on disk to 1 GiB; from navigation to the job
 *   page with that frame's log until its last line is visible (the viewer reads the tail by
 *   a ranged request).
 * Run it alone: `flock /tmp/heavy.lock npm run bench:logs`. The last output line is the JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium';
import { root, start, startStack, stopAll, waitFor } from './processes';

const TICKS = 300;
const GIB = 1024 * 1024 * 1024;

const log = (line: string) => console.log(`bench:logs │ ${line}`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

function findLog(dir: string, jobName: string): string | null {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findLog(full, jobName);
      if (found) return found;
    } else if (full.includes(`/${jobName}.`) && entry.name.endsWith('.log')) return full;
  }
  return null;
}

async function main() {
  const { dataDir, env, web, dispatcher } = await startStack('logs', { FARMHAND_REPORT_INTERVAL_S: '1' }, log);
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    start('rqd', tsx, ['apps/rqd/src/main.ts', '--dispatcher', dispatcher, '--single-user'], env);
    await waitFor('the local host', async () => ((await (await fetch(`${web}/api/health`)).json()) as { hostsUp: number }).hostsUp > 0);

    const submit = async (name: string, command: string) => {
      const res = await fetch(`${web}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          show: 'sandbox',
          user: 'bench',
          maxRetries: 0,
          layers: [{ name: 'render', command, range: '1', memoryMb: 64 }],
        }),
      });
      if (res.status !== 201) throw new Error(`submit ${name}: ${res.status} ${await res.text()}`);
      const id = ((await res.json()) as { id: string }).id;
      const job = (await (await fetch(`${web}/api/v1/jobs/${id}`)).json()) as { frames: { id: number }[] };
      return { id, frameId: job.frames[0]?.id as number };
    };
    const jobState = async (id: string) => ((await (await fetch(`${web}/api/v1/jobs/${id}`)).json()) as { state: string }).state;

    // 1. Latency: the page follows the frame's log before its ticks start.
    const live = await submit('bench-logs-live', `sleep 6; for i in $(seq 1 ${TICKS}); do echo "tick $i $(date +%s%3N)"; sleep 0.05; done`);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${web}/jobs/${live.id}?frame=${live.frameId}`);
    await page.getByTestId('log-text').waitFor({ timeout: 30_000 });
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(`(() => {
      const seen = new Map();
      window.__ticks = seen;
      const box = document.querySelector('[data-testid="log-text"]');
      if (!box) throw new Error('no log viewer');
      new MutationObserver((records) => {
        for (const r of records)
          r.addedNodes.forEach((node) => {
            const text = node.textContent || '';
            for (const m of text.matchAll(/tick (\\d+) (\\d{13})/g)) if (!seen.has(m[1])) seen.set(m[1], Date.now() - Number(m[2]));
          });
      }).observe(box, { childList: true, subtree: true, characterData: true });
    })()`);
    await waitFor('the live frame', async () => (await jobState(live.id)) === 'SUCCEEDED', 120_000);
    await page.waitForTimeout(500);
    const latencies = ((await page.evaluate('[...window.__ticks.values()]')) as number[]).sort((a, b) => a - b);
    log(`live lines seen in the browser: ${latencies.length} of ${TICKS}`);
    await page.close();

    // 2. The tail of a 1 GiB log.
    const big = await submit('bench-logs-1g', 'echo small log');
    await waitFor('the small frame', async () => (await jobState(big.id)) === 'SUCCEEDED');
    const file = findLog(path.join(dataDir, 'logs'), 'bench-logs-1g');
    if (!file) throw new Error('the log file of bench-logs-1g was not found');
    const line = `${'render progress '.padEnd(100, '.')}\n`;
    const block = Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length)));
    const fd = fs.openSync(file, 'a');
    let size = fs.statSync(file).size;
    while (size < GIB) {
      fs.writeSync(fd, block);
      size += block.length;
    }
    fs.writeSync(fd, 'THE LAST LINE OF A GIGABYTE\n');
    fs.closeSync(fd);
    log(`grew ${path.basename(file)} to ${(fs.statSync(file).size / GIB).toFixed(2)} GiB`);
    const tail = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const t0 = Date.now();
    await tail.goto(`${web}/jobs/${big.id}?frame=${big.frameId}`);
    await tail.getByText('THE LAST LINE OF A GIGABYTE').waitFor({ state: 'visible', timeout: 60_000 });
    const openTailOf1GBMs = Date.now() - t0;
    await tail.close();
    fs.rmSync(file, { force: true });

    const figures = {
      logLatencyP50Ms: percentile(latencies, 50),
      logLatencyP95Ms: percentile(latencies, 95),
      logLatencyMaxMs: latencies.at(-1) ?? NaN,
      linesMeasured: latencies.length,
      openTailOf1GBMs,
    };
    log(
      `print → visible: p50 ${figures.logLatencyP50Ms} ms, p95 ${figures.logLatencyP95Ms} ms; 1 GiB tail opened in ${openTailOf1GBMs} ms`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    await browser.close();
    await stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  async (e: unknown) => {
    console.error(`bench:logs: ${e instanceof Error ? e.message : String(e)}`);
    await stopAll();
    process.exit(1);
  },
);
