/**
 * The oslo.messaging release a nova release ran with. Juno pinned 1.4.x,
 * Kilo 1.8.x and Liberty >= 1.16; their behaviour differs in the words of
 * some errors, namespace matching and the fanout check on call().
 */
export type OsloMessagingRelease = '1.4' | '1.8' | '1.16';

export interface Dialect {
  release: OsloMessagingRelease;
  /** The Python package: 1.4.x is the namespace package `oslo.messaging`, 1.8+ `oslo_messaging`. */
  pkg: 'oslo.messaging' | 'oslo_messaging';
  /** UnsupportedVersion carries the attempted method (1.8+). */
  unsupportedVersionNamesMethod: boolean;
  /** Servers also accept their target's legacy_namespaces (1.8+). */
  legacyNamespaces: boolean;
  /** call() refuses a fanout target with InvalidTarget (1.8+). */
  callRejectsFanout: boolean;
  capErrorMessage(version: string | null, versionCap: string | null): string;
}

const DIALECTS: Record<OsloMessagingRelease, Dialect> = {
  '1.4': {
    release: '1.4',
    pkg: 'oslo.messaging',
    unsupportedVersionNamesMethod: false,
    legacyNamespaces: false,
    callRejectsFanout: false,
    capErrorMessage: (v, cap) =>
      `Specified RPC version cap, ${String(cap)}, is too low. Needs to be higher than ${String(v)}.`,
  },
  '1.8': {
    release: '1.8',
    pkg: 'oslo_messaging',
    unsupportedVersionNamesMethod: true,
    legacyNamespaces: true,
    callRejectsFanout: true,
    capErrorMessage: (v, cap) =>
      `Requested message version, ${String(v)} is too high. It needs to be lower than the specified version cap ${String(cap)}.`,
  },
  '1.16': {
    release: '1.16',
    pkg: 'oslo_messaging',
    unsupportedVersionNamesMethod: true,
    legacyNamespaces: true,
    callRejectsFanout: true,
    capErrorMessage: (v, cap) =>
      `Requested message version, ${String(v)} is incompatible.  It needs to be equal in major version and less than or equal in minor version as the specified version cap ${String(cap)}.`,
  },
};

export function dialect(release: OsloMessagingRelease = '1.8'): Dialect {
  return DIALECTS[release];
}

/** The default is Kilo's oslo.messaging, the article's baseline. */
export const DEFAULT_DIALECT = DIALECTS['1.8'];
