/** deltagraph: the public entry. It re-exports; it defines nothing. */
export * from './lib';
export * from './graph';
export * from './ops';
export * from './check';
export * from './nn';
export * from './expr';
export * from './viz';
