export * from './FarmGrid';
export * from './FrameProgressBar';
export * from './gridTheme';
export * from './LogViewer';
export * from './logJoin';
export * from './StateBadge';
export * from './stateColors';
