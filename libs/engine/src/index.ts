export * from './script-types';
export * from './message';
export * from './ports';
export * from './parse-body';
export * from './match-providers';
export * from './run-functions';
export * from './sandbox/script-sandbox';
export * from './automations';
