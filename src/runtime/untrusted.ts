/**
 * Schemas for data that comes from outside the code base: share links,
 * a lesson's plan.json, nova.conf text, saved browser state. Shipped
 * scenarios go through scenario_schema.ts; what a stranger can hand us
 * goes through these stricter checks first, so that every key is known,
 * every value has its type and size, nothing is nested deeper than a
 * scenario ever is, and no name can reach an object's prototype.
 *
 * Each check throws an Error whose message names the path and the rule.
 */

/** Names that reach a prototype when used as a property key; refused everywhere. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nova.conf section or option name: what oslo.config accepts, never a prototype key. */
const CONF_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_CONF_VALUE = 1000;
const MAX_TEXT = 2000;
const MAX_ARG = 200;
/** A share link's state is at most 6 levels deep (state.steps[i].service.conf.section.option). */
export const MAX_DEPTH = 12;

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name);
}

/** Throws when `name` is not usable as a nova.conf section or option. */
export function checkConfName(name: unknown, path: string): asserts name is string {
  if (typeof name !== 'string') throw new Error(`${path} must be a name (text), not ${kindOf(name)}`);
  if (isForbiddenName(name)) throw new Error(`${path} "${name}" is a reserved name and is refused`);
  if (!CONF_NAME.test(name)) throw new Error(`${path} "${clip(name)}" must be 1-64 letters, digits, "_", "." or "-"`);
}

/** Throws when `v` is nested deeper than `max` (iterative: a hostile depth cannot blow the stack). */
export function checkDepth(v: unknown, max = MAX_DEPTH, path = 'the data'): void {
  const stack: [unknown, number][] = [[v, 0]];
  let visited = 0;
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d >= max) throw new Error(`${path} is nested more than ${max} levels deep`);
    if (++visited > 200_000) throw new Error(`${path} holds too many values`);
    for (const c of Object.values(x)) if (typeof c === 'object' && c !== null) stack.push([c, d + 1]);
  }
}

export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`${path}: unexpected key "${clip(k)}"`);
}

function str(o: Record<string, unknown>, key: string, path: string, { required = false, max = MAX_ARG, nullable = false } = {}): void {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new Error(`${path}.${key} is required`);
    return;
  }
  if (v === null && nullable) return;
  if (typeof v !== 'string') throw new Error(`${path}.${key} must be text, not ${kindOf(v)}`);
  if (v.length > max) throw new Error(`${path}.${key} is longer than ${max} characters`);
}

function bool(o: Record<string, unknown>, key: string, path: string): void {
  if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new Error(`${path}.${key} must be true or false`);
}

/** nova.conf sections from outside: known shape, safe names, short string values. */
export function checkConfSections(conf: unknown, path: string): void {
  if (!isObj(conf)) throw new Error(`${path} must map sections to options`);
  const sections = Object.keys(conf);
  if (sections.length > 30) throw new Error(`${path} has more than 30 sections`);
  for (const sec of sections) {
    checkConfName(sec, `${path} section`);
    const opts = conf[sec];
    if (!isObj(opts)) throw new Error(`${path}.${sec} must map options to text`);
    const names = Object.keys(opts);
    if (names.length > 100) throw new Error(`${path}.${sec} has more than 100 options`);
    for (const k of names) {
      checkConfName(k, `${path}.${sec} option`);
      if (typeof opts[k] !== 'string') throw new Error(`${path}.${sec}.${k} must be text, not ${kindOf(opts[k])}`);
      if ((opts[k] as string).length > MAX_CONF_VALUE) throw new Error(`${path}.${sec}.${k} is longer than ${MAX_CONF_VALUE} characters`);
    }
  }
}

/** Keys a service from outside may have: no user code, no benchmark kinds, no raised bounds. */
export const UNTRUSTED_SERVICE_KEYS = ['id', 'binary', 'release', 'conf', 'start'] as const;

export function checkUntrustedService(s: unknown, path: string): void {
  if (!isObj(s)) throw new Error(`${path} must be an object, not ${kindOf(s)}`);
  for (const k of Object.keys(s)) {
    if (!(UNTRUSTED_SERVICE_KEYS as readonly string[]).includes(k)) {
      throw new Error(
        k === 'code' || k === 'kind' || k === 'maxPublishesPerStep'
          ? `${path}.${k} is refused: services from a link or a plan carry no code and no raised limits`
          : `${path}: unexpected key "${clip(k)}"`,
      );
    }
  }
  str(s, 'id', path, { required: true, max: 32 });
  str(s, 'binary', path, { required: true, max: 32 });
  str(s, 'release', path, { required: true, max: 16 });
  bool(s, 'start', path);
  if (s.conf !== undefined) checkConfSections(s.conf, `${path}.conf`);
}

const ACTION_KEYS = ['do', 'action', 'expect_ok', 'name', 'flavor', 'image', 'server', 'reboot_type', 'rescue_password', 'host', 'block_migration', 'networks', 'volumes', 'boot_volume', 'volume_id', 'device', 'key', 'value'];
const NETWORK_KEYS = ['uuid', 'fixed_ip', 'port'];
const DB_COMMANDS = ['backup', 'sync', 'migrate_flavor_data', 'restore'];

/**
 * One scenario step from outside: each kind has its keys and their types.
 * Names of services, releases and actions are checked by scenario_schema.ts
 * afterwards (it knows the cluster).
 */
export function checkUntrustedStep(st: unknown, path: string): void {
  if (!isObj(st)) throw new Error(`${path} must be an object, not ${kindOf(st)}`);
  if (typeof st.do !== 'string') throw new Error(`${path}.do must be text`);
  switch (st.do) {
    case 'action':
      onlyKeys(st, ACTION_KEYS, path);
      str(st, 'action', path, { required: true, max: 32 });
      for (const k of ['name', 'flavor', 'image', 'server', 'rescue_password']) str(st, k, path);
      str(st, 'host', path, { nullable: true });
      if (st.reboot_type !== undefined && st.reboot_type !== 'SOFT' && st.reboot_type !== 'HARD') throw new Error(`${path}.reboot_type must be SOFT or HARD`);
      bool(st, 'expect_ok', path);
      bool(st, 'block_migration', path);
      str(st, 'boot_volume', path, { max: 64 });
      str(st, 'volume_id', path, { max: 64 });
      str(st, 'device', path, { nullable: true, max: 64 });
      str(st, 'key', path, { max: 255 });
      str(st, 'value', path, { max: 255 });
      if (st.volumes !== undefined) {
        if (!Array.isArray(st.volumes) || st.volumes.length > 16 || !st.volumes.every((v) => typeof v === 'string' && v.length <= 64)) throw new Error(`${path}.volumes must be a list of at most 16 volume ids`);
      }
      if (st.networks !== undefined) {
        if (!Array.isArray(st.networks) || st.networks.length > 16) throw new Error(`${path}.networks must be a list of at most 16 networks`);
        st.networks.forEach((n, i) => {
          const np = `${path}.networks[${i}]`;
          if (!isObj(n)) throw new Error(`${np} must be an object, not ${kindOf(n)}`);
          onlyKeys(n, NETWORK_KEYS, np);
          for (const k of NETWORK_KEYS) str(n, k, np, { nullable: true, max: 64 });
        });
      }
      return;
    case 'upgrade':
      onlyKeys(st, ['do', 'service', 'release'], path);
      str(st, 'service', path, { required: true, max: 32 });
      str(st, 'release', path, { required: true, max: 16 });
      return;
    case 'stop':
    case 'start':
    case 'restart':
      onlyKeys(st, ['do', 'service'], path);
      str(st, 'service', path, { required: true, max: 32 });
      return;
    case 'configure':
      onlyKeys(st, ['do', 'service', 'section', 'option', 'value', 'restart'], path);
      str(st, 'service', path, { required: true, max: 32 });
      checkConfName(st.section, `${path}.section`);
      checkConfName(st.option, `${path}.option`);
      if (st.value !== null && typeof st.value !== 'string') throw new Error(`${path}.value must be text or null, not ${kindOf(st.value)}`);
      if (typeof st.value === 'string' && st.value.length > MAX_CONF_VALUE) throw new Error(`${path}.value is longer than ${MAX_CONF_VALUE} characters`);
      bool(st, 'restart', path);
      return;
    case 'inject':
    case 'heal':
      onlyKeys(st, st.do === 'inject' ? ['do', 'service', 'point', st.point === 'die' ? 'method' : 'error'] : ['do', 'service', 'point'], path);
      str(st, 'service', path, { required: true, max: 32 });
      str(st, 'point', path, { required: true, max: 64 });
      if (st.do === 'inject') str(st, st.point === 'die' ? 'method' : 'error', path, { required: true, max: 500 });
      return;
    case 'db':
      onlyKeys(st, ['do', 'command', 'release', 'max_number'], path);
      if (!DB_COMMANDS.includes(st.command as string)) throw new Error(`${path}.command must be one of ${DB_COMMANDS.join(', ')}`);
      str(st, 'release', path, { max: 16 });
      if (st.max_number !== undefined && !(Number.isInteger(st.max_number) && (st.max_number as number) >= 0 && (st.max_number as number) <= 1e6)) throw new Error(`${path}.max_number must be a whole number`);
      return;
    case 'add_service':
      onlyKeys(st, ['do', 'service'], path);
      checkUntrustedService(st.service, `${path}.service`);
      return;
    case 'wait':
      onlyKeys(st, ['do', 'seconds'], path);
      if (typeof st.seconds !== 'number' || !Number.isFinite(st.seconds) || st.seconds < 0 || st.seconds > 86400) throw new Error(`${path}.seconds must be a number from 0 to 86400`);
      return;
    case 'unit_test':
      onlyKeys(st, ['do', 'service', 'test', 'object', 'field', 'since'], path);
      str(st, 'service', path, { required: true, max: 32 });
      if (st.test !== 'obj_make_compatible') throw new Error(`${path}.test must be "obj_make_compatible"`);
      str(st, 'object', path, { required: true, max: 64 });
      str(st, 'field', path, { required: true, max: 64 });
      str(st, 'since', path, { required: true, max: 16 });
      if (!/^\d+\.\d+$/.test(st.since as string)) throw new Error(`${path}.since must be a version like "1.20"`);
      return;
    case 'periodic':
      onlyKeys(st, ['do', 'service', 'task'], path);
      str(st, 'service', path, { required: true, max: 32 });
      str(st, 'task', path, { required: true, max: 64 });
      return;
    case 'note':
      onlyKeys(st, ['do', 'text'], path);
      str(st, 'text', path, { required: true, max: MAX_TEXT });
      return;
    default:
      throw new Error(`${path}.do "${clip(st.do)}" is not a step kind`);
  }
}
