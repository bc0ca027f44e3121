import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** Generates a synthetic workspace with the shared bench generator; returns its directory. */
export function generateWorkspace(services: number, seed: string): string {
  const generator = join(REPO_ROOT, '..', 'shared', 'bench', 'gen-workspace.mjs');
  if (!existsSync(generator)) throw new Error(`The workspace generator is missing: expected it at ${generator}`);
  const out = join(mkdtempSync(join(tmpdir(), 'service-lens-gen-')), 'workspace');
  execFileSync(process.execPath, [generator, '--out', out, '--services', String(services), '--seed', seed, '--quiet'], { stdio: 'pipe' });
  return out;
}
