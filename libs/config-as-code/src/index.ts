export * from './api';
export * from './config-document';
export * from './server-state';
export * from './export-config';
export * from './plan';
export * from './apply-plan';
export * from './format-plan';
export * from './import-config';
