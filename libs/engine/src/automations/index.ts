export * from './templates';
export * from './shell-quote';
export * from './schedule';
export * from './run-command';
export * from './call-http';
