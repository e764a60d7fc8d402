export * from './client';
export * from './errors';
export * from './link-header';
export * from './messages';
export * from './oauth';
export * from './people';
export * from './recordings';
export type * from './types';
