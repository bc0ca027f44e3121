/**
 * Real manifests to mutate: the shared corpus beside the repository, the examples workspace and a
 * small workspace from the shared generator (Services, workloads, Endpoints, faults).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Seed {
  /** Path relative to its source root, prefixed with the source (`corpus/…`, `examples/…`, `generated/…`). */
  readonly name: string;
  readonly text: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Largest seed kept: mutation cost grows with the text, and big files add little. */
const MAX_SEED_CHARACTERS = 64 * 1024;

const cache = new Map<string, readonly Seed[]>();

/**
 * Seeds found from `repositoryRoot`. The corpus and generator live in `../shared`; when they are
 * missing (a fresh clone without them) the examples alone are used.
 */
export function loadSeeds(repositoryRoot: string): readonly Seed[] {
  const cached = cache.get(repositoryRoot);
  if (cached) return cached;
  const shared = path.join(repositoryRoot, '..', 'shared');
  const seeds: Seed[] = [
    ...readManifests(path.join(shared, 'corpus'), 'corpus'),
    ...readManifests(path.join(repositoryRoot, 'examples'), 'examples'),
    ...generatedSeeds(path.join(shared, 'bench', 'gen-workspace.mjs')),
  ].filter((seed) => seed.text.length <= MAX_SEED_CHARACTERS);
  if (seeds.length === 0) throw new Error(`No seed manifests found below ${repositoryRoot}`);
  cache.set(repositoryRoot, seeds);
  return seeds;
}

function readManifests(root: string, source: string): Seed[] {
  if (!fs.existsSync(root)) return [];
  const out: Seed[] = [];
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((left, right) => left.name.localeCompare(right.name))) {
      const entryPath = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(entryPath);
      else if (entry.isFile() && MANIFEST.test(entry.name)) {
        out.push({ name: `${source}/${path.relative(root, entryPath).split(path.sep).join('/')}`, text: fs.readFileSync(entryPath, 'utf8') });
      }
    }
  };
  walk(root);
  return out;
}

/** A few dozen Services from the shared generator, written to a temporary directory and read back. */
function generatedSeeds(generator: string): Seed[] {
  if (!fs.existsSync(generator)) return [];
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-fuzz-seeds-'));
  try {
    const out = path.join(temporary, 'workspace');
    execFileSync(process.execPath, [generator, '--out', out, '--services', '40', '--seed', 'fuzz', '--faults', '0.3', '--quiet'], { stdio: 'pipe' });
    return readManifests(out, 'generated').filter((seed) => !seed.name.endsWith('expected.json'));
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}
