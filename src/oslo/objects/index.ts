/** Public surface of the versioned-objects core (see base.ts for the design notes). */
export * from './versionutils';
export * from './exceptions';
export * from './fields';
export * from './base';
export * from './registry';
export * from './serializer';
export * from './remotable';
