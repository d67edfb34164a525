/** Nova's versioned objects (Juno 2014.2, Kilo 2015.1.0, Liberty 12.0.0) on the oslo core. See README.md. */
export * from './states';
export * from './flavors';
export { makeObjectWorld, type MakeObjectWorldOptions, type NovaObjectClasses, type NovaObjectWorld } from './world';
export {
  instanceGetFlavor,
  loadInstanceAttr,
  instanceOptionalAttrs,
  INSTANCE_DEFAULT_FIELDS,
  UNICODE_ATTRIBUTES,
  asciiReplace,
  type InstanceListFilters,
} from './instance';
export { KILO_INSTANCE_RELATIONSHIPS, KILO_INSTANCE_LIST_CHILD_VERSIONS } from './kilo';
export { JUNO_INSTANCE_LIST_CHILD_VERSIONS } from './juno';
export { LIBERTY_V1_RELATIONSHIPS, LIBERTY_LIST_V1_OBJECTS } from './liberty';
export { LIBERTY_SERVICE_VERSION } from './subobjects';
export { INSTANCE_COLUMNS, syncFlavorStorage } from './db_rows';
export * from './api';
