/**
 * The Node versions the project states agree with what its dependencies accept: `engines.node` of
 * package.json is a subset of every locked package's own `engines.node` (so `npm ci` on a stated
 * version prints no EBADENGINE warning), and the README's quick start names the same versions.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as semver from 'semver';
import { REPO_ROOT } from '../support/paths';

interface LockedPackage {
  readonly engines?: { readonly node?: string } | readonly string[];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as unknown;
}

const manifest = readJson('package.json') as { engines: { node: string } };
const lock = readJson('package-lock.json') as { packages: Record<string, LockedPackage> };
const stated = manifest.engines.node;

describe('Node engines', () => {
  it('package.json states a valid range', () => {
    assert.ok(semver.validRange(stated), `engines.node ${stated}`);
  });

  it('every locked package accepts every Node version package.json states', () => {
    const refusing: string[] = [];
    for (const [name, locked] of Object.entries(lock.packages)) {
      const engines = locked.engines;
      if (engines === undefined || Array.isArray(engines)) continue;
      const node = (engines as { node?: string }).node;
      if (node === undefined) continue;
      if (!semver.subset(stated, node)) refusing.push(`${name} needs node ${node}`);
    }
    assert.deepEqual(refusing, [], `engines.node ${stated} admits versions these packages refuse`);
  });

  it("the README's quick start names the lowest version of each stated major", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const heading = /^## Quick start \(fresh machine, Node (.+)\)$/m.exec(readme)?.[1];
    assert.ok(heading, 'the quick start heading names the Node versions');
    const lowest = semver
      .validRange(stated)
      ?.split('||')
      .map((part) => semver.minVersion(part.trim()))
      .filter((version): version is semver.SemVer => version !== null)
      .map((version) => (version.minor === 0 ? `${version.major}+` : `${version.major}.${version.minor}+`));
    assert.ok(lowest && lowest.length > 0);
    for (const version of lowest) assert.ok(heading.includes(version), `"${heading}" names ${version}`);
  });
});
