/**
 * Reading a frame log: markup in a log shows as text and runs nothing; colours, search with
 * next/previous, jump to the first error, and a link that opens the log at a line.
 */
import { expect, test } from '@playwright/test';
import { screenshots, submitJob, waitForHost, waitForJobState } from './support';

const command = [
  'echo "<img src=x onerror=alert(1)>"',
  'echo "<script>alert(2)</script>"',
  'printf "\\033[31mred warning\\033[0m then \\033[32mgreen\\033[0m\\n"',
  'for i in $(seq 1 400); do echo "progress line $i"; done',
  'echo "Traceback (most recent call last):"',
  'echo "ValueError: texture missing"',
  'for i in $(seq 401 500); do echo "progress line $i"; done',
].join('; ');

test('a log line with markup shows literally and runs nothing; search, first error and line links work', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await waitForHost(page);
  const id = await submitJob(page.request, { name: 'e2e-log-viewer', layers: [{ name: 'render', command, range: '1' }] });
  await waitForJobState(page.request, id, 'SUCCEEDED');

  await page.goto(`/jobs/${id}`);
  await page.locator('[data-frame-number="1"]').click();
  const log = page.getByTestId('log-text');
  // The log opens at its tail, following; a search brings the markup lines near the top into view.
  await expect(log).toContainText('frame finished');
  await expect(log).toHaveAttribute('data-following', 'true');
  await page.getByTestId('log-search').fill('onerror');
  await page.getByTestId('log-search').press('Enter');
  await expect(log.locator('[data-selected]')).toContainText('<img src=x onerror=alert(1)>');
  await expect(log).toContainText('<img src=x onerror=alert(1)>');
  await expect(log).toContainText('<script>alert(2)</script>');
  await expect(log.locator('img')).toHaveCount(0);
  await expect(log.locator('script')).toHaveCount(0);
  // Colours come through as styles, the escape codes do not show.
  await expect(log.getByText('red warning', { exact: true })).toHaveCSS('color', 'rgb(255, 123, 114)');
  await expect(log.getByText('green', { exact: true })).toHaveCSS('color', 'rgb(63, 185, 80)');

  // Jump to the first error: the Traceback, far below the first screen (not the echoed command in the header).
  await page.getByTestId('log-first-error').click();
  await expect(log.locator('[data-selected]')).toContainText('Traceback (most recent call last):');
  await expect(log.locator('[data-selected]')).toBeInViewport();
  await expect(log).toHaveAttribute('data-following', 'false');

  // Regex search with marks, next and previous.
  await page.getByTestId('log-search').fill('progress line 4[0-9]{2}$');
  await expect(page.getByTestId('log-search-count')).toContainText('100 matches');
  await page.getByTestId('log-search-next').click();
  await expect(page.getByTestId('log-search-count')).toContainText('1 / 100');
  await page.getByTestId('log-search-prev').click();
  await expect(page.getByTestId('log-search-count')).toContainText('100 / 100');
  await expect(log.locator('[data-mark]').first()).toBeVisible();
  await page.screenshot({ path: `${screenshots}/log-viewer-search.png`, fullPage: true });

  // A line's number links to it: the URL opens the log there after a reload.
  await page.getByTestId('log-search').fill('progress line 214$');
  await page.getByTestId('log-search').press('Enter');
  const row = log.locator('[data-selected]');
  await expect(row).toContainText('progress line 214');
  const line = await row.getAttribute('data-line');
  await row.getByRole('button', { name: `Line ${line}: link to it` }).click();
  await expect(page).toHaveURL(new RegExp(`line=${line}`));
  await page.reload();
  const linked = page.getByTestId('log-text').locator(`[data-line="${line}"]`);
  await expect(linked).toBeInViewport();
  await expect(linked).toContainText('progress line 214');
  await expect(linked).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('log-text')).toHaveAttribute('data-following', 'false');
  expect(dialogs).toEqual([]);
});
