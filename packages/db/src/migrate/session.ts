/**
 * One schema-engine session against one database: opens the engine with the provider's schema
 * and adapter, runs the work, then frees the engine and closes every connection it opened.
 */
import { readFileSync } from 'node:fs';
import { type Provider, schemaPath } from '../paths';
import type { MigrationAdapter } from './adapters';
import { createSchemaEngine, type SchemaEngineInstance } from './engine';

export function readSchema(provider: Provider): { path: string; content: string } {
  const path = schemaPath(provider);
  return { path, content: readFileSync(path, 'utf8') };
}

export async function withSchemaEngine<T>(
  provider: Provider,
  adapter: MigrationAdapter,
  work: (engine: SchemaEngineInstance) => Promise<T>,
): Promise<T> {
  let engine: SchemaEngineInstance | undefined;
  try {
    engine = await createSchemaEngine(readSchema(provider), adapter.factory);
    return await work(engine);
  } catch (error) {
    throw engineError(error);
  } finally {
    engine?.free();
    await adapter.close();
  }
}

/** The engine rejects with plain objects; turn them into Errors that carry its message. */
function engineError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (error && typeof error === 'object' && 'message' in error) return new Error(String(error.message), { cause: error });
  return new Error(`The schema engine failed: ${JSON.stringify(error)}`);
}
