// playwright-core, which drives Chromium in the webview tests. It lives in tools/playwright with its
// own package.json and lockfile, so it is never a dependency of the extension; installed here when
// missing or when the installed version is not the one tools/playwright/package.json pins.
// playwright-core downloads no browser: the tests use Debian's /usr/bin/chromium (20-chromium).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const folder = join(root, 'tools', 'playwright');
const installed = join(folder, 'node_modules', 'playwright-core', 'package.json');

export default async function setupPlaywright(log) {
  const wanted = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).dependencies['playwright-core'];
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === wanted) return;

  log(`npm ci in tools/playwright (playwright-core ${wanted})`);
  const result = spawnSync('npm', ['ci', '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (result.error) throw new Error(`npm ci in tools/playwright could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm ci in tools/playwright failed (exit ${result.status ?? result.signal})`);
  if (!existsSync(installed)) throw new Error(`playwright-core is still missing after npm ci: ${installed}`);
}
