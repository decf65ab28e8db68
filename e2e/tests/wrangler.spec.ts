/**
 * The wrangler's journey: a job that needs more memory than any host has sits waiting; the
 * problems panel on /farm names it with the scheduler's reason; the job page says the same in
 * plain words; the wrangler kills it with a bulk action after confirming.
 */
import { expect, test } from '@playwright/test';
import { screenshots, submitJob, waitForHost } from './support';

test('a wrangler finds a job stuck for memory in the problems panel, reads why, and kills it', async ({ page }) => {
  await waitForHost(page);
  const id = await submitJob(page.request, {
    name: 'e2e-huge-sim',
    user: 'wanda',
    shot: 'sq090_sh010',
    layers: [{ name: 'sim', command: 'echo never runs', range: '1-3', memoryMb: 4_000_000 }],
  });

  await page.goto('/farm');
  const stuck = page.locator(`[data-testid="stuck-job"][data-job-id="${id}"]`);
  await expect(stuck).toBeVisible();
  await expect(stuck).toContainText('e2e-huge-sim');
  await expect(stuck.getByTestId('stuck-reason')).toHaveAttribute('data-code', 'NO_HOST_MATCHES');
  await expect(stuck.getByTestId('stuck-reason')).toContainText(/memory/);
  await expect(page.getByTestId('subscriptions')).toContainText('sandbox');
  await page.screenshot({ path: `${screenshots}/wrangler-problems.png`, fullPage: true });

  // The job page answers "why isn't it running?" by itself: nothing runs, frames wait.
  await stuck.getByRole('link', { name: 'e2e-huge-sim' }).click();
  await expect(page.getByTestId('why-panel')).toBeVisible();
  await expect(page.getByTestId('why-line').first()).toHaveAttribute('data-code', 'NO_HOST_MATCHES');
  await expect(page.getByTestId('why-line').first()).toContainText('memory');
  await page.screenshot({ path: `${screenshots}/job-why.png`, fullPage: true });

  // Bulk kill from the farm's jobs grid, behind a confirmation.
  await page.goto('/farm');
  const row = page.getByTestId('farm-jobs-grid').getByRole('row', { name: /e2e-huge-sim/ });
  await row.getByRole('checkbox').check();
  await page.getByTestId('bulk-kill').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('e2e-huge-sim');
  await page.screenshot({ path: `${screenshots}/wrangler-confirm-kill.png`, fullPage: true });
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('command-notice')).toHaveAttribute('data-kind', 'ok');
  await expect(row).toContainText('KILLED');
  await expect(stuck).toHaveCount(0);
});
