// Debian packages for the tests: installed with apt-get when missing and running as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let updated = false;

/** Ensures `command` exists (an absolute path or a name on PATH); installs `packages` if not. */
export function ensureDebianPackages(command, packages, log) {
  if (available(command)) return;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`${command} is missing: install the Debian packages ${packages.join(' ')} (apt-get install ${packages.join(' ')}), or run the tests as root so they are installed for you.`);
  }
  log(`installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    updated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (!available(command)) throw new Error(`${command} is still missing after installing ${packages.join(' ')}`);
}

function available(command) {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
