/**
 * `npm run admin -w @farmhand/web -- <command>`: the one-time setup and the admin chores
 * that must work before anyone can sign in, against the database of the settings
 * (DATABASE_URL / FARMHAND_DATA_DIR):
 *
 *   setup [name]              the first admin (default `admin`), with a generated password printed once
 *   host-token create <name>  a host token for rqd (`--token`), printed once
 *   host-token list
 *   host-token revoke <id>
 *
 * `npm start` runs `setup` by itself when sign-in is required and no admin exists yet.
 */
import { loadSettings } from '@farmhand/contracts';
import { migrate, openDatabase } from '@farmhand/db';
import { setupFirstAdmin } from '../src/server/auth/accounts';
import { createHostToken, listHostTokens, revokeHostToken } from '../src/server/auth/hostTokens';

// npm runs workspace scripts in apps/web: settings such as ./data mean the directory it was started from.
process.chdir(process.env.INIT_CWD ?? process.cwd());
const [command, ...args] = process.argv.slice(2);
const settings = loadSettings(process.env);
await migrate(settings.databaseUrl);
const db = openDatabase(settings.databaseUrl);
let code = 0;
try {
  if (command === 'setup') {
    const { name, password } = await setupFirstAdmin(db, args[0] ?? 'admin');
    console.log(`First admin created. Sign in as '${name}' with this password (shown once; change it on /admin/users):\n\n  ${password}\n`);
  } else if (command === 'host-token' && args[0] === 'create' && args[1]) {
    const t = await createHostToken(db, { name: args.slice(1).join(' ') });
    console.log(`Host token '${t.name}' (${t.id}); give it to rqd as --token (shown once):\n\n  ${t.token}\n`);
  } else if (command === 'host-token' && args[0] === 'list') {
    for (const t of await listHostTokens(db))
      console.log(`${t.id}  ${t.prefix}…  ${t.name}${t.revokedAt ? `  (revoked ${t.revokedAt})` : ''}`);
  } else if (command === 'host-token' && args[0] === 'revoke' && args[1]) {
    await revokeHostToken(db, args[1]);
    console.log(`Host token ${args[1]} revoked: hosts using it cannot connect again.`);
  } else {
    console.error('usage: admin setup [name] | host-token create <name> | host-token list | host-token revoke <id>');
    code = 2;
  }
} catch (e) {
  console.error(`admin: ${e instanceof Error ? e.message : String(e)}`);
  code = 1;
}
await db.close();
process.exit(code);
