import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The shared corpus of real manifests lives beside the repository (`../shared/corpus`). */
export function corpusRoot(): string {
  const root = join(REPO_ROOT, '..', 'shared', 'corpus');
  if (!existsSync(root)) throw new Error(`The manifest corpus is missing: expected it at ${root}`);
  return root;
}

/** Every *.yaml/*.yml/*.json file under `root`, as [path relative to root with '/', text]. */
export function readTree(root: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name)) out.push([relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')]);
    }
  };
  walk(root);
  return out;
}
