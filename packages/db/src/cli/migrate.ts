/**
 * `npm run migrate -w @farmhand/db -- <command>`:
 *   create <name>      write a new migration for both providers from the schema changes
 *   deploy [url]       apply pending migrations (DATABASE_URL or the default SQLite file)
 *   status [url]       list pending, failed and edited migrations
 * Ends with process.exit: a pg pool's idle timer would otherwise keep the process up for seconds.
 */
import { loadSettings } from '@farmhand/contracts';
import { createMigration } from '../migrate/create';
import { migrate, migrationStatus } from '../migrate/deploy';

async function main(args: string[]): Promise<number> {
  const [command, arg] = args;
  const databaseUrl = () => arg ?? loadSettings(process.env).databaseUrl;
  switch (command) {
    case 'create': {
      if (!arg) return usage('create needs a name, e.g. `create add_host_notes`');
      for (const c of await createMigration(arg, { postgresAdminUrl: process.env.FARMHAND_POSTGRES_ADMIN_URL })) {
        console.log(c.name ? `${c.provider}: wrote prisma/${c.provider}/migrations/${c.name}/migration.sql` : `${c.provider}: no changes`);
      }
      return 0;
    }
    case 'deploy': {
      const { applied } = await migrate(databaseUrl());
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      return 0;
    }
    case 'status': {
      const s = await migrationStatus(databaseUrl());
      console.log(`pending: ${s.pending.join(', ') || 'none'}`);
      if (s.failed.length) console.log(`failed: ${s.failed.join(', ')}`);
      if (s.edited.length) console.log(`edited since applied: ${s.edited.join(', ')}`);
      return s.failed.length || s.edited.length ? 1 : 0;
    }
    default:
      return usage(command ? `unknown command '${command}'` : 'no command given');
  }
}

function usage(problem: string): number {
  console.error(`migrate: ${problem}\nusage: npm run migrate -w @farmhand/db -- create <name> | deploy [url] | status [url]`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
