export * from './roster';
export * from './manifest';
