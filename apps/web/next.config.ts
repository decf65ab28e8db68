/**
 * Next.js configuration. The workspace packages are TypeScript source, so Next transpiles
 * them; database drivers and Prisma's runtime stay outside the bundle (native modules and
 * wasm that must be loaded by Node as they are).
 */
import type { NextConfig } from 'next';

const config: NextConfig = {
  transpilePackages: ['@farmhand/contracts', '@farmhand/ui', '@farmhand/db'],
  serverExternalPackages: [
    'better-sqlite3',
    'pg',
    '@prisma/client',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    '@prisma/schema-engine-wasm',
  ],
  turbopack: {
    // The web needs only the database client. @farmhand/db's index also exports the migration
    // runner, whose module-level `import.meta.dirname` does not survive bundling and whose
    // wasm engine cannot be external; pointing the web's imports at the client module keeps
    // both out of the bundle. (Replace with a `@farmhand/db/client` export when it exists.)
    resolveAlias: { '@farmhand/db': '../../packages/db/src/client.ts' },
  },
  // Stacks side by side on one machine (a test run beside a developer's farm) build apart.
  distDir: process.env.FARMHAND_WEB_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` typechecks this code (tsc -p apps/web) and Biome lints it; a second check inside
  // `next build` would only slow `npm start` and fail it on a test file's types.
  typescript: { ignoreBuildErrors: true },
};

export default config;
