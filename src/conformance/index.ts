export * from './runner';
export * from './compare';
