// code-server (the VS Code workbench served to a browser) for the workbench tests in test/e2e.
// It lives in tools/code-server with its own lockfile, apart from the extension's dependencies,
// and is installed here when missing or when that lockfile changed since the last install.
//
// Its native modules build with make, g++ and python3 (installed when missing). Two of its
// dependencies need more help on a machine that reaches only package registries:
// - `kerberos` builds a native module against the Kerberos headers (Debian `libkrb5-dev`);
// - `@vscode/ripgrep` downloads `rg` in its postinstall, but first looks for a cached download
//   in the temp folder: Debian's `ripgrep` binary is packed there under the expected name.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '../apt.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const folder = join(root, 'tools', 'code-server');
const lockfile = join(folder, 'package-lock.json');
const entry = join(folder, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Written after a complete install; holds the hash of the lockfile it installed. */
const stamp = join(folder, 'node_modules', '.service-lens-install');

/** The version @vscode/ripgrep (a code-server dependency) downloads, and where it caches it. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export default async function setupCodeServer(log) {
  const wanted = existsSync(lockfile) ? hash(readFileSync(lockfile)) : 'no lockfile';
  if (existsSync(entry) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;

  ensureDebianPackages('rg', ['ripgrep'], log);
  ensureDebianPackages('/usr/include/krb5.h', ['libkrb5-dev'], log);
  // node-gyp builds the native modules (node-pty, kerberos, …) with these.
  ensureDebianPackages('make', ['make'], log);
  ensureDebianPackages('g++', ['g++'], log);
  ensureDebianPackages('python3', ['python3'], log);
  seedRipgrepCache(log);

  const command = existsSync(lockfile) ? 'ci' : 'install';
  log(`npm ${command} in tools/code-server (code-server and its native modules; a few minutes)`);
  const started = Date.now();
  const result = spawnSync('npm', [command, '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      // The install runs as root in CI: let the package scripts run as root too.
      npm_config_unsafe_perm: 'true',
      // node-pty's install runs `npx node-gyp`; answer its prompt.
      npm_config_yes: 'true',
    },
  });
  if (result.error) throw new Error(`npm ${command} in tools/code-server could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm ${command} in tools/code-server failed (exit ${result.status ?? result.signal})`);
  if (!existsSync(entry)) throw new Error(`code-server is still missing after npm ${command}: ${entry}`);
  writeFileSync(stamp, existsSync(lockfile) ? hash(readFileSync(lockfile)) : wanted);
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Packs the system `rg` where @vscode/ripgrep looks for its cached download. */
function seedRipgrepCache(log) {
  const cache = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cache, RIPGREP_ASSET);
  if (existsSync(archive)) return;
  const rg = whichCommand('rg');
  if (rg === undefined) throw new Error('rg is missing: install the Debian package ripgrep');
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'service-lens-rg-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    const result = spawnSync('tar', ['-czf', archive, '-C', staging, 'rg'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`could not pack ${rg} into ${archive}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`packed ${rg} as the ripgrep download for @vscode/ripgrep`);
}

function whichCommand(name) {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = result.stdout.trim();
  return result.status === 0 && path !== '' ? path : undefined;
}

function hash(contents) {
  return createHash('sha256').update(contents).digest('hex');
}
