/** @farmhand/sdk: Farmhand's REST API for pipeline code, typed from the shared contracts. */
export {
  FarmhandApiError,
  FarmhandClient,
  type FarmhandClientOptions,
  type FramesFilter,
  type HostsFilter,
  type JobsFilter,
  type LogChunk,
} from './client';
