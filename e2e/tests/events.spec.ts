/**
 * Events, webhooks and the drop zone as a user meets them, in Chromium against the whole farm
 * `npm start` runs: a finished job rings the bell live (no reload) and its notification links
 * to the job; a webhook added on the settings page receives a signed test delivery, logged; a
 * DAG dropped on the submit page is refused by line without its submit files, previewed with
 * them, and submitted whole.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { screenshots, submitJob, waitForHost, waitForJobState } from './support';

test('a finished job rings the bell live, and its notification opens the job', async ({ page }) => {
  await waitForHost(page);
  await page.goto('/');
  await page.getByTestId('current-user').fill('bella');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toBeVisible();
  await expect(page.getByTestId('notification-count')).toHaveCount(0);

  const id = await submitJob(page.request, {
    name: 'e2e-bell',
    user: 'bella',
    layers: [{ name: 'render', command: 'echo #FRAME#', range: '1-2' }],
  });
  // Pushed by the dispatcher to the room user:bella: the page is not reloaded.
  await expect(page.getByTestId('notification-count')).toHaveText('1', { timeout: 60_000 });
  await page.screenshot({ path: `${screenshots}/bell-unread.png` });

  await bell.click();
  const item = page.getByTestId('notification-item').first();
  await expect(item).toContainText('e2e-bell finished');
  await expect(item).toContainText('2 frames done');
  await page.screenshot({ path: `${screenshots}/bell-panel.png` });
  await item.getByRole('link', { name: 'e2e-bell finished' }).click();
  await page.waitForURL(new RegExp(`/jobs/${id}$`));
  await expect(page.getByTestId('job-name')).toHaveText('e2e-bell');
  await expect(page.getByTestId('notification-count')).toHaveCount(0);
});

test('a webhook added on the settings page receives a signed test delivery, shown in its log', async ({ page }) => {
  const received: { signature: string | undefined; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      received.push({ signature: req.headers['farmhand-signature'] as string | undefined, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/farmhand`;
  try {
    await page.goto('/settings');
    await page.getByTestId('current-user').fill('hooker');
    await page.getByTestId('webhook-url').fill('not a url');
    await page.getByTestId('webhook-add').click();
    await expect(page.getByTestId('error-url')).toContainText('url must');

    await page.getByTestId('webhook-url').fill(url);
    await page.getByTestId('webhook-event-host.down').check();
    await page.getByTestId('webhook-add').click();
    await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
    const row = page.getByTestId('webhook-row').filter({ hasText: url });
    await expect(row).toContainText('job.finished, job.dead_frames, host.down');

    await row.getByTestId('webhook-test').click();
    await expect(page.getByTestId('delivery-row').first()).toHaveAttribute('data-status', 'DELIVERED', { timeout: 30_000 });
    await expect(page.getByTestId('delivery-row').first()).toContainText('webhook.test');
    await page.screenshot({ path: `${screenshots}/webhooks.png`, fullPage: true });
    expect(received).toHaveLength(1);
    expect(received[0]?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ kind: 'webhook.test' });

    page.once('dialog', (d) => void d.accept());
    await row.getByTestId('webhook-delete').click();
    await expect(page.getByTestId('webhook-row').filter({ hasText: url })).toHaveCount(0);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

const DAG = [
  'JOB pre pre.sub',
  'JOB left work.sub',
  'JOB right work.sub',
  'JOB comp comp.sub',
  'PARENT pre CHILD left right',
  'PARENT left right CHILD comp',
  '',
].join('\n');
const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
const sub = (args: string, queue = 1) => `executable = /bin/echo\narguments = ${args}\nqueue ${queue}\n`;

test('a DAG dropped on the submit page is refused by line alone, previewed with its submit files, and submitted whole', async ({
  page,
}) => {
  await waitForHost(page);
  await page.goto('/submit');
  // A DAG names no show: the drop zone takes the form's, once the shows are read.
  await expect(page.getByTestId('submit-show')).toHaveValue('sandbox');
  const input = page.getByTestId('drop-file');

  await input.setInputFiles([file('shot.dag', DAG)]);
  await expect(page.getByTestId('import-error')).toHaveCount(4);
  await expect(page.getByTestId('import-error').first()).toContainText(
    "line 1 · shot.dag: JOB pre: the submit file 'pre.sub' could not be read",
  );
  await page.screenshot({ path: `${screenshots}/drop-errors.png`, fullPage: true });

  await input.setInputFiles([
    file('shot.dag', DAG),
    file('pre.sub', sub('pre')),
    file('work.sub', sub('render $(Process)', 3)),
    file('comp.sub', sub('comp')),
  ]);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('shot.dag: 4 jobs, 4 layers, 8 frames, 4 depends between jobs');
  await expect(page.getByTestId('preview-depends')).toContainText('comp waits for left');
  await page.screenshot({ path: `${screenshots}/drop-preview.png`, fullPage: true });

  await page.getByTestId('import-submit').click();
  const done = page.getByTestId('import-submitted');
  await expect(done).toContainText('applied: 4 jobs');
  await done.getByRole('link', { name: 'comp' }).click();
  await page.waitForURL(/\/jobs\/[\w-]+$/);
  const id = page.url().split('/').at(-1) ?? '';
  await waitForJobState(page.request, id, 'SUCCEEDED');
  await expect(page.getByTestId('job-state')).toHaveText(/SUCCEEDED/);
});

test("a host.down notification's link narrows the hosts page to that host", async ({ page }) => {
  await waitForHost(page);
  const hosts = (await (await page.request.get('/api/v1/hosts')).json()) as { items: { name: string }[] };
  const name = hosts.items[0]?.name ?? '';
  await page.goto(`/hosts?host=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('hosts-focus')).toContainText(name);
  await expect(page.getByTestId('hosts-grid').getByRole('row').filter({ hasText: name })).toHaveCount(1);
  await page.goto('/hosts?host=no-such-host');
  await expect(page.getByTestId('hosts-grid').getByRole('row').filter({ hasText: name })).toHaveCount(0);
  await page.getByRole('link', { name: 'show all' }).click();
  await expect(page.getByTestId('hosts-grid').getByRole('row').filter({ hasText: name })).toHaveCount(1);
});
