export * from './webhook-descriptor';
export * from './generate-provider';
