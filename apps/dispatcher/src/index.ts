export { Dispatcher } from './dispatcher';
export { type DispatcherOptions, type RunningDispatcher, startDispatcher } from './server';
