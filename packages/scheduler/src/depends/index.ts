/** Depends as pure logic: the graph the dispatcher keeps, and the types it is fed. */
export { DependGraph } from './graph';
export { DEPEND_KINDS, type DependKinds } from './kinds';
export type { Blocker, Depend, DependAdded, DependFrameInput, DependJobInput, DependLayerInput } from './types';
