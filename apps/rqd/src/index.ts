/**
 * @farmhand/rqd: the render-host daemon as a library — startRqd for a real host,
 * startSimulation for many virtual ones, and the pieces they are built from.
 */
export { COMMAND_TOKENS, expandCommand, tokenValues, unknownTokens, zeroPad } from './commandTokens';
export { type Activity, type ActivitySource, DesktopActivity } from './desktopActivity';
export { DispatcherLink, type DispatcherLinkOptions } from './dispatcherLink';
export { frameEnvironment, frameVariables } from './frameEnvironment';
export { FrameHost, type FrameHostOptions } from './frameHost';
export { FrameLog, type LogChunkOut } from './frameLog';
export type { FrameRun, FrameRunContext, FrameUsage, KillReason, StartFrame } from './frameRun';
export { frameUser, lookupUser, UnknownUserError } from './frameUser';
export { detectHostResources, type HostLoad, type HostResources, sampleHostLoad } from './hostResources';
export { checkLaunch, resolveLogFile } from './launchCheck';
export { NimbyWatch } from './nimby';
export { type NimbyOptions, parseCommandLine, type RqdOptions, type SimulationOptions, USAGE } from './options';
export { Outbox, type OutboxEvent, type Transport } from './outbox';
export { processRunner } from './processRunner';
export { ProcessSampler } from './processSampler';
export { frameProcesses, readAllProcesses } from './processTree';
export { type Rqd, type RqdParts, startRqd } from './rqd';
export { simulatedRunner } from './simulation/simulatedRunner';
export { type Simulation, startSimulation } from './simulation/startSimulation';
