import { readFileSync } from 'node:fs';
import * as contracts from '@farmhand/contracts';
import { describe, expect, it } from 'vitest';
import * as enums from '../src/generated/sqlite/enums';
import { nextMigrationName } from '../src/migrate/migrationsList';
import { schemaPath } from '../src/paths';
import { postgresSchemaFrom, stripLeadingComments } from '../src/schemaSource';

const sqlite = readFileSync(schemaPath('sqlite'), 'utf8');
const postgres = readFileSync(schemaPath('postgres'), 'utf8');

/** The schema with the two lines that name the provider taken out. */
function modelOnly(schema: string): string {
  return stripLeadingComments(schema)
    .replace(/provider\s*=\s*"(sqlite|postgresql)"/, 'provider = <db>')
    .replace(/generated\/(sqlite|postgres)"/, 'generated/<db>"');
}

describe('the PostgreSQL schema', () => {
  it('is the SQLite schema but for the datasource provider and the client output folder', () => {
    expect(modelOnly(postgres)).toBe(modelOnly(sqlite));
    expect(postgres).toContain('provider = "postgresql"');
    expect(postgres).toContain('output       = "../../packages/db/src/generated/postgres"');
  });

  it('is what the generator writes now (run `npm run generate -w @farmhand/db` after editing the SQLite schema)', () => {
    expect(postgres).toBe(postgresSchemaFrom(sqlite));
  });

  it('says it is generated', () => {
    expect(postgres.split('\n')[0]).toMatch(/^\/\/ GENERATED from prisma\/sqlite\/schema\.prisma/);
  });
});

describe('the schema enums', () => {
  it.each([
    ['FrameState', enums.FrameState, contracts.FRAME_STATES],
    ['JobState', enums.JobState, contracts.JOB_STATES],
    ['LayerType', enums.LayerType, contracts.LAYER_TYPES],
    ['HostState', enums.HostState, contracts.HOST_STATES],
    ['HostLock', enums.HostLock, contracts.HOST_LOCKS],
    ['DependType', enums.DependType, contracts.DEPEND_TYPES],
    ['CommandStatus', enums.CommandStatus, contracts.COMMAND_STATUSES],
    ['SchedulingMode', enums.SchedulingMode, contracts.SCHEDULING_MODES],
  ] as const)('%s has the same values as the contracts', (_name, prismaEnum, values) => {
    expect(Object.values(prismaEnum)).toEqual([...values]);
  });
});

describe('new migration names', () => {
  const now = new Date(Date.UTC(2026, 11, 2, 10, 30, 5));
  it.each([
    { behaviour: 'take the current UTC time', existing: [], expected: '20261202103005_add_notes' },
    { behaviour: 'come after an older migration', existing: ['20250101000000_init'], expected: '20261202103005_add_notes' },
    {
      behaviour: 'come one second after a migration from the same second',
      existing: ['20261202103005_init'],
      expected: '20261202103006_add_notes',
    },
    {
      behaviour: 'come after a migration stamped in the future (a clock that was ahead)',
      existing: ['20301231235959_init'],
      expected: '20310101000000_add_notes',
    },
  ])('$behaviour', ({ existing, expected }) => {
    expect(nextMigrationName('add_notes', existing, now)).toBe(expected);
  });

  it('refuses a name that would make an awkward folder, saying what is allowed', () => {
    expect(() => nextMigrationName('Add notes!', [], now)).toThrow(/lower-case letters, digits and underscores/);
  });
});
