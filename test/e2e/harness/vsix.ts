/**
 * Builds the .vsix the way a release does (`npm run package`), in a copy of the repository so the
 * working tree's dist/ and .vsix stay untouched while other tests use them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';

/** Top-level entries not copied: build output, installs, artefacts, history. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'tools', 'test-artifacts', '.e2e', '.bench', '.vscode-test']);

export interface PackagedExtension {
  /** The .vsix file. */
  readonly vsix: string;
  /** `<publisher>.<name>`, as VS Code names the extension. */
  readonly id: string;
  readonly version: string;
  /** The copy it was built in; its dist/ holds the production bundles, the e2e suite among them. */
  readonly sourceCopy: string;
  /** What `npm run package` printed. */
  readonly log: string;
}

export function packageExtension(workFolder: string): PackagedExtension {
  const sourceCopy = path.join(workFolder, 'source');
  for (const name of readdirSync(REPO_ROOT)) {
    if (NOT_COPIED.has(name) || name.endsWith('.vsix')) continue;
    cpSync(path.join(REPO_ROOT, name), path.join(sourceCopy, name), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(sourceCopy, 'node_modules'), 'dir');
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: sourceCopy, encoding: 'utf8', timeout: 300_000 });
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new Error(`npm run package could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm run package failed (exit ${result.status ?? result.signal}):\n${log}`);
  const manifest = JSON.parse(readFileSync(path.join(sourceCopy, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
  const vsix = path.join(sourceCopy, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}:\n${log}`);
  return { vsix, id: `${manifest.publisher}.${manifest.name}`, version: manifest.version, sourceCopy, log };
}
