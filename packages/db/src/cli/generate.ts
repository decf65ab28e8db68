/**
 * `npm run generate -w @farmhand/db` (run by the root postinstall): writes the PostgreSQL schema
 * from the SQLite one, then generates both Prisma clients offline. The dummy schema engine binary
 * stops the CLI from downloading native engines this machine cannot reach; `generate` never
 * needs them (see ENVIRONMENT.md).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROVIDERS, repoRoot, schemaPath } from '../paths';
import { postgresSchemaFrom } from '../schemaSource';

const sqliteSchema = readFileSync(schemaPath('sqlite'), 'utf8');
writeFileSync(schemaPath('postgres'), postgresSchemaFrom(sqliteSchema));

const prismaBin = path.join(repoRoot, 'node_modules', '.bin', 'prisma');
for (const provider of PROVIDERS) {
  execFileSync(prismaBin, ['generate', '--schema', schemaPath(provider)], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}
