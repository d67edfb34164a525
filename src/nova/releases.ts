import type { OsloMessagingRelease } from '../oslo/messaging/dialect';

/** The releases the simulator models, oldest first. */
export const RELEASES = ['icehouse', 'juno', 'kilo', 'liberty', 'mitaka'] as const;
export type Release = (typeof RELEASES)[number];

export interface ReleaseInfo {
  name: Release;
  /** nova's git tag for the release. */
  tag: string;
  commit: string;
  /** oslo.messaging series the release pinned (its behaviour differs in places). */
  oslo: OsloMessagingRelease;
  /** Which NovaObjectSerializer logic hydrates incoming objects. */
  serializer: 'icehouse' | 'juno' | 'kilo' | 'liberty';
  /** Which obj_make_compatible base the release's objects use. */
  objects: 'juno' | 'kilo' | 'ovo';
}

export const RELEASE_INFO: Record<Release, ReleaseInfo> = {
  /**
   * 2014.1 required oslo.messaging>=1.3.0a9: 1.3's client and dispatcher
   * behave as 1.4's in everything modelled (cap error wording, no legacy
   * namespaces, no fanout check on call), so Icehouse uses the 1.4 dialect.
   * Its objects base has Juno's no-op obj_make_compatible; its serializer
   * does not walk dicts (2014.2 added that).
   */
  icehouse: { name: 'icehouse', tag: '2014.1', commit: '87f57c0a2cc00a70edc87c5dc10bdefb6c01587b', oslo: '1.4', serializer: 'icehouse', objects: 'juno' },
  juno: { name: 'juno', tag: '2014.2', commit: 'c5ac21f3dbb4ad59efcb631d91e4e64f77fba43f', oslo: '1.4', serializer: 'juno', objects: 'juno' },
  kilo: { name: 'kilo', tag: '2015.1.0', commit: '8397b6464af520903f546ce4c6d51a2eb5b4c8a8', oslo: '1.8', serializer: 'kilo', objects: 'kilo' },
  liberty: { name: 'liberty', tag: '12.0.0', commit: '6df6ad3ff32f2b1fe2978df1032002548ad8eb66', oslo: '1.16', serializer: 'liberty', objects: 'ovo' },
  // 13.0.0: NovaObjectSerializer._process_object is 12.0.0's; objects on oslo.versionedobjects 1.x; oslo.messaging 4.x behaves as 1.16 here.
  mitaka: { name: 'mitaka', tag: '13.0.0', commit: '7105f888ee1f52d2a462fc0ece3130dc0d3d49f5', oslo: '1.16', serializer: 'liberty', objects: 'ovo' },
};

export function isRelease(name: unknown): name is Release {
  return typeof name === 'string' && (RELEASES as readonly string[]).includes(name);
}

export function releaseIndex(r: Release): number {
  return RELEASES.indexOf(r);
}

/**
 * Every nova release the model knows facts about, oldest first: all of
 * them are runnable (RELEASES).
 */
export const KNOWN_RELEASES = ['icehouse', 'juno', 'kilo', 'liberty', 'mitaka'] as const;
export type KnownRelease = (typeof KNOWN_RELEASES)[number];
/** Releases with facts but no runnable services (not offered anywhere). */
export type StagedRelease = Exclude<KnownRelease, Release>;

/** nova's git tag and commit of every known release (rpc-history release_tags/commits). */
export const RELEASE_TAGS: Record<KnownRelease, { tag: string; commit: string }> = {
  icehouse: { tag: '2014.1', commit: '87f57c0a2cc00a70edc87c5dc10bdefb6c01587b' },
  juno: { tag: '2014.2', commit: 'c5ac21f3dbb4ad59efcb631d91e4e64f77fba43f' },
  kilo: { tag: '2015.1.0', commit: '8397b6464af520903f546ce4c6d51a2eb5b4c8a8' },
  liberty: { tag: '12.0.0', commit: '6df6ad3ff32f2b1fe2978df1032002548ad8eb66' },
  mitaka: { tag: '13.0.0', commit: '7105f888ee1f52d2a462fc0ece3130dc0d3d49f5' },
};

/**
 * The oslo.messaging behaviour each known release's clients get. Mitaka ran
 * oslo.messaging 4.x, whose modelled behaviour (cap error wording, legacy
 * namespaces, fanout check) is the 1.16 one.
 */
export function osloOf(release: KnownRelease): OsloMessagingRelease {
  if (release === 'mitaka') return '1.16';
  return RELEASE_INFO[release].oslo;
}

export function isKnownRelease(name: unknown): name is KnownRelease {
  return typeof name === 'string' && (KNOWN_RELEASES as readonly string[]).includes(name);
}

/** Position in the release order (older < newer); -1 for an unknown name. */
export function releaseOrder(name: string): number {
  return (KNOWN_RELEASES as readonly string[]).indexOf(name);
}

/** Liberty or a later runnable release: where 12.0.0 behaviour carried on into 13.0.0. */
export function libertyOrLater(r: Release): boolean {
  return releaseIndex(r) >= releaseIndex('liberty');
}
