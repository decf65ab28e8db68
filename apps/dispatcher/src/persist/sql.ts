/**
 * Set-based SQL for the group commit: many rows of one table in one statement — multi-row
 * VALUES on SQLite, `unnest` of one array per column on PostgreSQL (ENVIRONMENT.md measured
 * both at tens of thousands of rows a second, against ~2,000 for Prisma's model API). Rows
 * are arrays in the table's column order; times are milliseconds since the epoch.
 */
import type { Provider } from '@farmhand/db';

export type ColumnType = 'text' | 'int' | 'float' | 'bool' | 'time' | { enum: string };

export interface Table {
  name: string;
  /** Column names and types; the key columns come first. */
  columns: readonly (readonly [string, ColumnType])[];
  /** How many of the first columns identify a row. */
  keyColumns: number;
}

export type Row = readonly unknown[];

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * How a conflicting insert updates the stored row: take the new values, or add them
 * (counters); `keep` columns are written on insert only.
 */
export type OnConflict = { conflict: readonly string[]; mode: 'replace' | 'add'; keep?: readonly string[] };

export interface Dialect {
  /** Updates rows found by their key columns; rows not stored are left alone. */
  update(table: Table, rows: readonly Row[]): Statement[];
  /** Inserts rows; with `onConflict`, updates the rows that already exist instead. */
  insert(table: Table, rows: readonly Row[], onConflict?: OnConflict): Statement[];
  deleteWhereIn(table: string, column: string, type: ColumnType, values: readonly unknown[]): Statement[];
  /**
   * The statements of one commit's marked rows as few statements as the database allows. Each
   * row of a table appears in one of them at most, and every row they refer to already exists.
   */
  combine(statements: readonly Statement[]): Statement[];
}

const q = (name: string) => `"${name}"`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function conflictClause(table: Table, onConflict: OnConflict, excluded: string): string {
  const keys = new Set([...onConflict.conflict, ...(onConflict.keep ?? [])]);
  const set = table.columns
    .filter(([name]) => !keys.has(name))
    .map(([name]) =>
      onConflict.mode === 'add'
        ? `${q(name)} = ${q(table.name)}.${q(name)} + ${excluded}.${q(name)}`
        : `${q(name)} = ${excluded}.${q(name)}`,
    );
  return ` ON CONFLICT (${onConflict.conflict.map(q).join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** SQLite: parameters bound per value; at most ~32k per statement, so rows go in chunks. */
const sqlite: Dialect = {
  update(table, rows) {
    const width = table.columns.length;
    const set = table.columns
      .slice(table.keyColumns)
      .map(([name], i) => `${q(name)} = v.column${table.keyColumns + i + 1}`)
      .join(', ');
    const where = table.columns
      .slice(0, table.keyColumns)
      .map(([name], i) => `${q(table.name)}.${q(name)} = v.column${i + 1}`)
      .join(' AND ');
    return sqliteChunks(rows, width).map((part) => ({
      sql: `UPDATE ${q(table.name)} SET ${set} FROM (VALUES ${valuesList(part.length, width)}) AS v WHERE ${where}`,
      params: sqliteParams(table, part),
    }));
  },
  insert(table, rows, onConflict) {
    const width = table.columns.length;
    const columns = table.columns.map(([name]) => q(name)).join(', ');
    const tail = onConflict ? conflictClause(table, onConflict, 'excluded') : '';
    return sqliteChunks(rows, width).map((part) => ({
      sql: `INSERT INTO ${q(table.name)} (${columns}) VALUES ${valuesList(part.length, width)}${tail}`,
      params: sqliteParams(table, part),
    }));
  },
  deleteWhereIn(table, column, type, values) {
    return sqliteChunks(values, 1).map((part) => ({
      sql: `DELETE FROM ${q(table)} WHERE ${q(column)} IN (${part.map(() => '?').join(', ')})`,
      params: part.map((v) => sqliteValue(type, v)),
    }));
  },
  // In-process: a statement costs no round trip, and each text is prepared once.
  combine: (statements) => [...statements],
};

/**
 * Rows in chunks of a few fixed sizes (256, 64, 16, 4, 1 — fewer for wide tables), so that the
 * statements' texts repeat and each is prepared once, whatever the number of rows.
 */
function sqliteChunks<T>(rows: readonly T[], width: number): T[][] {
  const max = Math.max(1, Math.floor(30_000 / width));
  const out: T[][] = [];
  let at = 0;
  for (const size of [256, 64, 16, 4, 1]) {
    if (size > max) continue;
    while (rows.length - at >= size) {
      out.push(rows.slice(at, at + size));
      at += size;
    }
  }
  return out;
}

function valuesList(rows: number, width: number): string {
  const one = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

function sqliteValue(type: ColumnType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'bool') return v ? 1 : 0;
  // Prisma's own text form of a DateTime on SQLite, so that rows sort the same whoever wrote them.
  if (type === 'time') return new Date(v as number).toISOString().replace('Z', '+00:00');
  return v;
}

function sqliteParams(table: Table, rows: readonly Row[]): unknown[] {
  const params: unknown[] = [];
  for (const row of rows)
    table.columns.forEach(([, type], i) => {
      params.push(sqliteValue(type, row[i]));
    });
  return params;
}

/** PostgreSQL: one array parameter per column, whatever the number of rows. */
const postgres: Dialect = {
  update(table, rows) {
    const set = table.columns
      .slice(table.keyColumns)
      .map(([name, type]) => `${q(name)} = ${pgValue(`v.${q(name)}`, type)}`)
      .join(', ');
    const where = table.columns
      .slice(0, table.keyColumns)
      .map(([name]) => `t.${q(name)} = v.${q(name)}`)
      .join(' AND ');
    return chunks(rows, 5000).map((part) => ({
      sql: `UPDATE ${q(table.name)} AS t SET ${set} FROM ${pgUnnest(table)} WHERE ${where}`,
      params: pgParams(table, part),
    }));
  },
  insert(table, rows, onConflict) {
    const columns = table.columns.map(([name]) => q(name)).join(', ');
    const values = table.columns.map(([name, type]) => pgValue(`v.${q(name)}`, type)).join(', ');
    const tail = onConflict ? conflictClause(table, onConflict, 'EXCLUDED') : '';
    return chunks(rows, 5000).map((part) => ({
      sql: `INSERT INTO ${q(table.name)} (${columns}) SELECT ${values} FROM ${pgUnnest(table)}${tail}`,
      params: pgParams(table, part),
    }));
  },
  deleteWhereIn(table, column, type, values) {
    return chunks(values, 50_000).map((part) => ({
      sql: `DELETE FROM ${q(table)} WHERE ${q(column)} = ANY($1::${pgArrayType(type)})`,
      params: [pgArray(part)],
    }));
  },
  /**
   * One statement of data-modifying WITH parts (each runs once, to completion, on the same
   * snapshot, in no promised order): one round trip to the server, which is also its own
   * transaction, instead of one per table plus BEGIN and COMMIT. On a busy dispatcher each round
   * trip waits for the event loop's turn to end, and a commit of a few hundred rows in four round
   * trips took 100–450 ms where the server spent under 40. Only valid because no row is touched
   * by two parts and nothing here refers to a row inserted by another part (see Store.takeStatements:
   * not even a unique key freed by a delete is taken by an insert of the same commit).
   */
  combine(statements) {
    if (statements.length <= 1) return [...statements];
    const params: unknown[] = [];
    const parts = statements.map((st, i) => {
      const offset = params.length;
      params.push(...st.params);
      return `s${i} AS (${st.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
    });
    return [{ sql: `WITH ${parts.join(', ')} SELECT 1`, params }];
  },
};

function pgArrayType(type: ColumnType): string {
  if (type === 'int') return 'int[]';
  if (type === 'float' || type === 'time') return 'float8[]';
  if (type === 'bool') return 'bool[]';
  return 'text[]';
}

function pgUnnest(table: Table): string {
  const arrays = table.columns.map(([, type], i) => `$${i + 1}::${pgArrayType(type)}`).join(', ');
  return `unnest(${arrays}) AS v(${table.columns.map(([name]) => q(name)).join(', ')})`;
}

function pgValue(ref: string, type: ColumnType): string {
  // Milliseconds to the schema's timestamp(3) without time zone, kept in UTC as Prisma does.
  if (type === 'time') return `(to_timestamp(${ref} / 1000.0) AT TIME ZONE 'UTC')`;
  if (typeof type === 'object') return `${ref}::${q(type.enum)}`;
  return ref;
}

function pgParams(table: Table, rows: readonly Row[]): unknown[] {
  return table.columns.map((_, i) => pgArray(rows.map((row) => row[i] ?? null)));
}

/**
 * A column's values as PostgreSQL's array text, made by JSON.stringify: for numbers, booleans,
 * nulls and strings without control characters the two texts differ only in their brackets
 * (a JSON string's escapes, \" and \\, are also the array text's). The `pg` driver builds the
 * same text element by element in JavaScript, ~0.5 µs a value: 75–150 ms for the 165,000 values
 * of a 15,000-row commit, all of it on the event loop; JSON.stringify takes ~5 ms. Values it
 * would change (control characters, which JSON escapes differently; NaN and Infinity, which it
 * turns into null) leave the column to the driver.
 */
export function pgArray(values: readonly unknown[]): string | readonly unknown[] {
  for (const v of values) {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v === 'string' ? CONTROL.test(v) : v !== null && typeof v !== 'boolean')
      return values;
  }
  const json = JSON.stringify(values);
  return `{${json.slice(1, -1)}}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f]/;

export function dialectFor(provider: Provider): Dialect {
  return provider === 'postgres' ? postgres : sqlite;
}
