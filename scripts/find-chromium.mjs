// Finds a Chromium for the end-to-end tests: $CHROMIUM_PATH, else
// /usr/bin/chromium; where none is found, installs Debian's chromium when
// running as root with apt-get, otherwise explains how to get one.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export function findChromium({ install = true } = {}) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (install && isRoot && hasApt) {
    console.error('No Chromium found: installing Debian\'s chromium package (apt-get)...');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null', {
      stdio: 'inherit',
      timeout: 15 * 60 * 1000,
    });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'No Chromium browser found for the end-to-end tests.\n' +
      '  Install one with:  sudo apt-get install chromium\n' +
      '  or point CHROMIUM_PATH at a Chromium/Chrome binary.',
  );
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

if (import.meta.url === `file://${process.argv[1]}`) console.log(findChromium());
