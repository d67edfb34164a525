import type { OsloMessagingRelease } from '../oslo/messaging/dialect';

/** The releases the simulator models, oldest first. */
export const RELEASES = ['juno', 'kilo', 'liberty'] as const;
export type Release = (typeof RELEASES)[number];

export interface ReleaseInfo {
  name: Release;
  /** nova's git tag for the release. */
  tag: string;
  commit: string;
  /** oslo.messaging series the release pinned (its behaviour differs in places). */
  oslo: OsloMessagingRelease;
  /** Which NovaObjectSerializer logic hydrates incoming objects. */
  serializer: 'juno' | 'kilo' | 'liberty';
  /** Which obj_make_compatible base the release's objects use. */
  objects: 'juno' | 'kilo' | 'ovo';
}

export const RELEASE_INFO: Record<Release, ReleaseInfo> = {
  juno: { name: 'juno', tag: '2014.2', commit: 'c5ac21f3dbb4ad59efcb631d91e4e64f77fba43f', oslo: '1.4', serializer: 'juno', objects: 'juno' },
  kilo: { name: 'kilo', tag: '2015.1.0', commit: '8397b6464af520903f546ce4c6d51a2eb5b4c8a8', oslo: '1.8', serializer: 'kilo', objects: 'kilo' },
  liberty: { name: 'liberty', tag: '12.0.0', commit: '6df6ad3ff32f2b1fe2978df1032002548ad8eb66', oslo: '1.16', serializer: 'liberty', objects: 'ovo' },
};

export function isRelease(name: unknown): name is Release {
  return typeof name === 'string' && (RELEASES as readonly string[]).includes(name);
}

export function releaseIndex(r: Release): number {
  return RELEASES.indexOf(r);
}
