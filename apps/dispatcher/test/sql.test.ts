import { describe, expect, it } from 'vitest';
import { dialectFor } from '../src/persist/sql';
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
    expect(one?.params).toEqual([['p2'], [7], ['j1'], ['RUNNING']]);
  });

  it('runs deletes first, on their own: a proc that ended frees its frame for the retry booked in the same commit', () => {
    const out = pg.combine([...put, ...del, ...job]);
    expect(out[0]?.sql).toMatch(/^DELETE FROM "Proc"/);
    expect(out).toHaveLength(2);
    expect(out[1]?.sql).toMatch(/^WITH s0 AS \(INSERT INTO "Proc"/);
  });

  it('leaves SQLite statements as they are (no round trips to save; each text prepared once)', () => {
    const sqlite = dialectFor('sqlite');
    const list = [...sqlite.insert(ATTEMPT, []), ...sqlite.deleteWhereIn('Proc', 'id', 'text', ['p1'])];
    expect(sqlite.combine(list)).toEqual(list);
  });
});
