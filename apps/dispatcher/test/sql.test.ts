import { describe, expect, it } from 'vitest';
import { dialectFor, pgArray } from '../src/persist/sql';
import { ATTEMPT } from '../src/persist/tables';

const pg = dialectFor('postgres');

describe('one commit of marked rows on PostgreSQL', () => {
  const del = pg.deleteWhereIn('Proc', 'id', 'text', ['p1']);
  const put = pg.insert(
    {
      name: 'Proc',
      keyColumns: 1,
      columns: [
        ['id', 'text'],
        ['frameId', 'int'],
      ],
    },
    [['p2', 7]],
    { conflict: ['id'], mode: 'replace' },
  );
  const job = pg.update(
    {
      name: 'Job',
      keyColumns: 1,
      columns: [
        ['id', 'text'],
        ['state', 'text'],
      ],
    },
    [['j1', 'RUNNING']],
  );

  it('folds the statements into one round trip, numbering each part’s parameters after the previous ones', () => {
    const [one, ...rest] = pg.combine([...put, ...job]);
    expect(rest).toEqual([]);
    expect(one?.sql).toMatch(
      /^WITH s0 AS \(INSERT INTO "Proc" .*\$1::text\[\], \$2::int\[\].*\), s1 AS \(UPDATE "Job" .*\$3::text\[\], \$4::text\[\].*\) SELECT 1$/,
    );
    expect(one?.params).toEqual(['{"p2"}', '{7}', '{"j1"}', '{"RUNNING"}']);
  });

  it('folds deletes in too: no part of a commit deletes a key another inserts (Store.takeStatements)', () => {
    const out = pg.combine([...put, ...del, ...job]);
    expect(out).toHaveLength(1);
    expect(out[0]?.sql).toMatch(/^WITH s0 AS \(INSERT INTO "Proc".*, s1 AS \(DELETE FROM "Proc" WHERE "id" = ANY\(\$3::text\[\]\)\)/);
  });

  it('writes a column as PostgreSQL array text, or leaves to the driver what that text would change', () => {
    expect(pgArray([1, -2.5, null, true, 1796236909954])).toBe('{1,-2.5,null,true,1796236909954}');
    expect(pgArray(['a "quoted", {braced} \\ value', '', 'NULL'])).toBe('{"a \\"quoted\\", {braced} \\\\ value","","NULL"}');
    expect(pgArray(['two\nlines'])).toEqual(['two\nlines']);
    expect(pgArray([Number.NaN])).toEqual([Number.NaN]);
  });

  it('leaves SQLite statements as they are (no round trips to save; each text prepared once)', () => {
    const sqlite = dialectFor('sqlite');
    const list = [...sqlite.insert(ATTEMPT, []), ...sqlite.deleteWhereIn('Proc', 'id', 'text', ['p1'])];
    expect(sqlite.combine(list)).toEqual(list);
  });
});
