export * from './commands';
export * from './errors';
export * from './frameRange';
export * from './jobSpec';
export * from './liveProtocol';
export * from './rqdProtocol';
export * from './settings';
export * from './states';
