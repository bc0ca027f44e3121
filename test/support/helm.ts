import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** The helm the tests render with: tools/k8s/bin/helm, installed by `node scripts/setup/index.mjs 40-k8s-tools`. */
export function helmBinary(): string {
  const binary = join(REPO_ROOT, 'tools', 'k8s', 'bin', process.platform === 'win32' ? 'helm.exe' : 'helm');
  if (!existsSync(binary)) throw new Error(`helm is missing at ${binary}: run node scripts/setup/index.mjs 40-k8s-tools`);
  return binary;
}

/** The Helm test charts and stand-in programs. */
export const HELM_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'helm');
