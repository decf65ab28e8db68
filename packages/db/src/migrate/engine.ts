/**
 * Loads Prisma's schema engine (WebAssembly) once per process and creates engines bound to a
 * driver adapter. The package's own entry imports its `.wasm` file, which Node 20 cannot do and
 * which its `exports` hide, so we instantiate the bytes ourselves (see ENVIRONMENT.md).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
export type SchemaEngineInstance = bg.SchemaEngine;

// Node has WebAssembly, but with lib ES2023 and no DOM nothing declares it; this is the part we use.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(jsPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(bg) });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loading;
}

/**
 * The engine arms timers (timeouts around its queries, ~10 s) that it never clears; unref them
 * so that a process which has finished migrating is not kept alive by them.
 */
function withUnrefTimers(imports: typeof bg): Record<string, unknown> {
  const patched: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(imports)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    const setTimer = patched[name] as (callback: () => void, ms: number) => NodeJS.Timeout;
    patched[name] = (callback: () => void, ms: number) => setTimer(callback, ms).unref();
  }
  return patched;
}

/** The engine's log lines, kept for error messages; the engine reports its failures itself. */
function ignoreLog(_line: string): void {}

export async function createSchemaEngine(
  schema: { path: string; content: string },
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<bg.SchemaEngine> {
  await loadWasm();
  return bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    ignoreLog,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
