/**
 * A farm that needs sign-in, as people meet it in Chromium: a second stack (dispatcher and the
 * web's production build that the default stack built) started by this file with
 * FARMHAND_AUTH=required on a fresh database. The admin signs in with the password the setup
 * step printed, adds an artist and grants a show, makes an API token a script then uses; the
 * artist sees neither the Users nor the Audit page, and the server refuses them anyway.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, expect, test } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '../..');
const webPort = Number(process.env.E2E_WEB_PORT ?? 3310) + 50;
const dispatcherPort = Number(process.env.E2E_DISPATCHER_PORT ?? 8810) + 50;
const base = `http://127.0.0.1:${webPort}`;
const screenshots = 'screenshots';

let dataDir = '';
let adminPassword = '';
const children: ChildProcess[] = [];

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-e2e-auth-'));
  const env = {
    ...process.env,
    FARMHAND_DATA_DIR: dataDir,
    DATABASE_URL: '',
    PORT: String(webPort),
    FARMHAND_DISPATCHER_PORT: String(dispatcherPort),
    FARMHAND_AUTH: 'required',
    FARMHAND_WEB_DIST_DIR: '.next-e2e',
    NEXT_TELEMETRY_DISABLED: '1',
    FARMHAND_LOG_LEVEL: 'warn',
  };
  // The one-time setup step: the first admin's password, printed once.
  const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['apps/web/scripts/admin.ts', 'setup'], {
    cwd: root,
    env: { ...env, INIT_CWD: root },
  });
  adminPassword = /^\s+(\S+)\s*$/m.exec(stdout)?.[1] ?? '';
  expect(adminPassword, stdout).not.toBe('');
  children.push(spawn(path.join(root, 'node_modules/.bin/tsx'), ['apps/dispatcher/src/main.ts'], { cwd: root, env, stdio: 'ignore' }));
  await waitFor(`http://127.0.0.1:${dispatcherPort}/health`);
  children.push(
    spawn(path.join(root, 'node_modules/.bin/next'), ['start', 'apps/web', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: root,
      env,
      stdio: 'ignore',
    }),
  );
  await waitFor(`${base}/api/health`);
});

test.afterAll(async () => {
  for (const child of children.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(browser: Browser, name: string, password: string) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL(/\/signin/);
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  return { context, page };
}

test('the admin signs in, adds an artist with a show, and makes an API token a script uses within its scopes', async ({ browser }) => {
  const anon = await browser.newContext({ baseURL: base });
  const visitor = await anon.newPage();
  await visitor.goto('/hosts');
  await visitor.waitForURL(/\/signin\?next=%2Fhosts/);
  await visitor.getByTestId('signin-name').fill('admin');
  await visitor.getByTestId('signin-password').fill('not the password');
  await visitor.getByTestId('signin-submit').click();
  await expect(visitor.getByTestId('signin-error')).toHaveText('Wrong user name or password');
  expect((await visitor.request.get('/api/v1/jobs')).status()).toBe(401);
  await anon.close();

  const { context, page } = await signIn(browser, 'admin', adminPassword);
  const cookie = (await context.cookies()).find((c) => c.name === 'farmhand_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  // The live socket, refused before sign-in, connects with a ticket now.
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'live');

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByTestId('new-user-name').fill('ana');
  await page.getByTestId('new-user-password').fill('ana-password-123');
  await page.getByTestId('new-user-create').click();
  await expect(page.getByTestId('user-ana')).toBeVisible();
  await page.getByLabel('Show for ana').selectOption('sandbox');
  await page.getByTestId('grant-ana').click();
  await expect(page.getByTestId('user-ana')).toContainText('artist · sandbox');
  await page.screenshot({ path: `${screenshots}/auth-admin-users.png` });

  await page.getByTestId('account-link').click();
  await page.getByTestId('token-name').fill('pipeline');
  await page.getByTestId('token-scope-submit').check();
  await page.getByTestId('token-create').click();
  const token = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
  expect(token).toMatch(/^fh_/);
  await page.screenshot({ path: `${screenshots}/auth-account-token.png` });

  const headers = { authorization: `Bearer ${token}` };
  const submitted = await page.request.post(`${base}/api/v1/jobs`, {
    headers,
    data: {
      name: 'scripted',
      show: 'sandbox',
      shot: 'sh010',
      user: 'admin',
      layers: [{ name: 'r', command: 'echo #FRAME#', range: '1-2' }],
    },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const { id } = (await submitted.json()) as { id: string };
  const paused = await page.request.post(`${base}/api/v1/jobs/${id}/pause`, { headers });
  expect(paused.status()).toBe(403);
  expect(((await paused.json()) as { error: { message: string } }).error.message).toContain('scopes (read, submit) do not allow');

  await page.goto('/admin/audit');
  await page.getByTestId('audit-user').fill('admin');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-table')).toContainText('submit_job');
  await page.screenshot({ path: `${screenshots}/auth-audit.png` });
  await context.close();
});

test('an artist sees no Users or Audit page, and the server refuses the audit trail to them', async ({ browser }) => {
  const { context, page } = await signIn(browser, 'ana', 'ana-password-123');
  await expect(page.getByTestId('account-link')).toHaveText('ana');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await page.goto('/admin/audit');
  await expect(page.getByTestId('audit-error')).toContainText('ana may not read the audit trail');
  await page.getByTestId('account-link').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/signin/);
  await context.close();
});
