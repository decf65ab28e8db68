/**
 * @farmhand/db: the data model's client for both providers, the migration runner every app
 * calls at start, and the local farm seed. Test helpers live in `@farmhand/db/testing`.
 */
export { type Database, type Db, type DbTransaction, type OpenOptions, openDatabase, SQLITE_PRAGMAS } from './client';
export { databaseProvider, postgresConfig, sqliteFilePath } from './databaseUrl';
export {
  type Allocation,
  type Command,
  type Comment,
  type Depend,
  type Facility,
  type Frame,
  type FrameAttempt,
  type Host,
  type Job,
  type Layer,
  type LayerLimit,
  type Limit,
  Prisma,
  type Proc,
  type Show,
  type ShowUsage,
  type Subscription,
  type User,
} from './generated/sqlite/client';
export {
  CommandStatus,
  DependType,
  FrameState,
  HostLock,
  HostState,
  JobState,
  LayerType,
  SchedulingMode,
} from './generated/sqlite/enums';
export { type MigrateResult, type MigrationStatus, migrate, migrationStatus } from './migrate/deploy';
export type { Provider } from './paths';
export {
  ensureLocalFarm,
  LOCAL_ALLOCATION,
  LOCAL_ALLOCATION_TAG,
  LOCAL_FACILITY,
  type LocalFarm,
  SANDBOX_SHOW,
  SANDBOX_SUBSCRIPTION,
} from './seed';
