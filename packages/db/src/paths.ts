/**
 * Where the Prisma schemas and migrations live, per provider. One place so the generator, the
 * migration runner and the tests agree.
 */
import path from 'node:path';

export type Provider = 'sqlite' | 'postgres';
export const PROVIDERS: readonly Provider[] = ['sqlite', 'postgres'];

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const prismaDir = path.join(repoRoot, 'prisma');

export function schemaPath(provider: Provider): string {
  return path.join(prismaDir, provider, 'schema.prisma');
}

export function migrationsDir(provider: Provider): string {
  return path.join(prismaDir, provider, 'migrations');
}
