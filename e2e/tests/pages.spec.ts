/**
 * A user composes a page: starts from their role's default, drags a panel and resizes another,
 * reloads and finds the page as they left it; a second person opens the page's address in their
 * own browser, sees the same arrangement, and saves a copy of it as theirs. A grid's columns and
 * sort come back in a new browser, because they are kept in the database, not the browser.
 */
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { screenshots } from './support';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

async function panelBoxes(page: Page): Promise<Record<string, { x: number; y: number; width: number; height: number }>> {
  const out: Record<string, { x: number; y: number; width: number; height: number }> = {};
  for (const panel of await page.getByTestId('panel').all()) {
    const b = await box(panel);
    out[(await panel.getAttribute('data-panel-id')) ?? '?'] = {
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.round(b.width),
      height: Math.round(b.height),
    };
  }
  return out;
}

/** Each panel's place in grid units (columns and rows): what the page stores. */
async function places(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const panel of await page.getByTestId('panel').all()) {
    out[(await panel.getAttribute('data-panel-id')) ?? '?'] = (await panel.getAttribute('data-place')) ?? '';
  }
  return out;
}

/** Names unique to this run: the journeys do not depend on a fresh database. */
const run = Date.now().toString(36);

async function asUser(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // The top bar's user (local mode: who the browser says it is).
  await context.addInitScript((name) => window.localStorage.setItem('farmhand.user', name), user);
  return context.newPage();
}

test('a user rearranges a page, reloads and finds it as left; another opens the shared address and saves a copy', async ({ browser }) => {
  const page = await asUser(browser, `ann-${run}`);
  await page.goto('/views');
  await expect(page.getByTestId('page-default-note')).toContainText('artist');
  await expect(page.getByTestId('panel')).toHaveCount(3);
  await page.getByTestId('page-new-name').fill('Lighting dailies');
  await page.getByTestId('page-new-default').click();
  await expect(page).toHaveURL(/\/views\/[0-9a-f-]+$/);
  await expect(page.getByTestId('page-name')).toHaveText('Lighting dailies');
  const address = page.url();

  const problems = page.locator('[data-testid=panel][data-panel-type=problems]');
  const hours = page.locator('[data-testid=panel][data-panel-type=coreHours]');
  const before = await panelBoxes(page);

  // Drag the problems panel by its title to the top of the page.
  const handle = await box(problems.getByTestId('panel-drag'));
  await page.mouse.move(handle.x + 80, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 120, handle.y - 200, { steps: 12 });
  await page.mouse.move(handle.x + 120, 60, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByTestId('page-save-status')).toHaveAttribute('data-state', 'saved');

  // Resize the core-hours panel from its bottom-right corner: taller and wider.
  const corner = await box(hours.locator('.react-resizable-handle'));
  await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
  await page.mouse.down();
  await page.mouse.move(corner.x + 5, corner.y + 160, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByTestId('page-save-status')).toHaveAttribute('data-state', 'saved');

  const after = await panelBoxes(page);
  const placed = await places(page);
  expect(after.problems?.y).toBeLessThan(before.problems?.y ?? 0);
  expect(after.hours?.height).toBeGreaterThan((before.hours?.height ?? 0) + 100);
  await expect(page.getByText('Asking the scheduler…')).toHaveCount(0);
  await page.screenshot({ path: `${screenshots}/pages-rearranged.png` });

  await page.reload();
  await expect(page.getByTestId('panel')).toHaveCount(3);
  expect(await places(page)).toEqual(placed);
  const reloaded = await panelBoxes(page);
  expect(reloaded.problems?.y).toBe(after.problems?.y);
  expect(reloaded.hours?.height).toBe(after.hours?.height);

  // Someone else, in their own browser, opens the address: the same page, theirs to copy.
  const other = await asUser(browser, `bob-${run}`);
  await other.goto(address);
  await expect(other.getByTestId('page-owner')).toContainText(`ann-${run}`);
  await expect(other.getByTestId('panel')).toHaveCount(3);
  expect(await places(other)).toEqual(placed);
  await expect(other.getByText('Asking the scheduler…')).toHaveCount(0);
  await other.screenshot({ path: `${screenshots}/pages-shared.png` });
  await other.getByTestId('page-copy').click();
  await expect(other).not.toHaveURL(address);
  await expect(other.getByTestId('page-name')).toHaveText(`Lighting dailies (from ann-${run})`);
  await expect(other.getByTestId('page-save-status')).toHaveAttribute('data-state', 'saved');
  await other.goto('/views');
  await expect(other.getByTestId('page-link')).toHaveText([`Lighting dailies (from ann-${run})`]);
});

test("a grid's sort comes back in a new browser: it is kept in the database", async ({ browser }) => {
  const first = await asUser(browser, `cid-${run}`);
  await first.goto('/hosts');
  const header = first.getByTestId('hosts-grid').locator('.ag-header-cell[col-id=name]');
  // Clicked as soon as the header shows, while the grid may still be applying its starting view
  // (its first rows arriving): the click is the person's change all the same, and is saved.
  // Saved after a short pause (debounced): wait for the save to reach the server (listening before the click).
  const saved = first.waitForResponse(
    (r) => r.url().includes('views.saveGrid') && r.ok() && (r.request().postData() ?? '').includes('"colId":"name"'),
  );
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await saved;

  const second = await asUser(browser, `cid-${run}`);
  await second.goto('/hosts');
  await expect(second.getByTestId('hosts-grid').locator('.ag-header-cell[col-id=name]')).toHaveAttribute('aria-sort', 'ascending');
  const stranger = await asUser(browser, `dee-${run}`);
  await stranger.goto('/hosts');
  await expect(stranger.getByTestId('hosts-grid').locator('.ag-header-cell[col-id=name]')).toHaveAttribute('aria-sort', 'none');
});
