/**
 * `service-lens check --cache DIR`: the same output with and without the cache, after files are
 * changed, deleted and added between runs; a damaged cache is noted on stderr and rebuilt.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, runCli } from './harness';

/** An hour ago: older than the cache's racy window, so files are cached. */
const PAST = Date.now() / 1000 - 3600;

describe('check --cache', () => {
  let root: string;
  let workspace: string;
  let cache: string;
  const check = (withCache: boolean) => runCli(['check', '.', '--format', 'json', '--fail-on', 'none', ...(withCache ? ['--cache', cache] : [])], { cwd: workspace });

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cli-cache-')));
    workspace = path.join(root, 'workspace');
    cache = path.join(root, 'cache');
    fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    for (const entry of fs.readdirSync(workspace, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), PAST, PAST);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the output of a run without it, before and after files change', () => {
    const plain = check(false);
    assert.equal(check(true).stdout, plain.stdout);
    assert.ok(fs.readdirSync(cache).some((name) => name.startsWith('facts-')), 'a cache file');
    const warm = check(true);
    assert.equal(warm.stdout, plain.stdout);
    assert.equal(warm.stderr, plain.stderr);

    const files = fs.readdirSync(workspace, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.yaml')).map((entry) => path.join(entry.parentPath, entry.name));
    const changed = files.find((file) => /selector:/.test(fs.readFileSync(file, 'utf8')))!;
    fs.writeFileSync(changed, fs.readFileSync(changed, 'utf8').replace(/(selector:\s*\n\s+\S+: )(\S+)/, '$1$2x'));
    fs.utimesSync(changed, PAST + 60, PAST + 60);
    fs.rmSync(files.find((file) => file !== changed)!);
    fs.writeFileSync(path.join(workspace, 'added.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: added}\nspec:\n  selector: {app: added}\n  ports: [{port: 80}]\n');
    fs.utimesSync(path.join(workspace, 'added.yaml'), PAST, PAST);

    const after = check(false);
    assert.notEqual(after.stdout, plain.stdout);
    assert.equal(check(true).stdout, after.stdout);
  });

  it('notes a damaged cache on stderr, ignores it and rebuilds it', () => {
    check(true);
    const file = path.join(cache, fs.readdirSync(cache).find((name) => name.startsWith('facts-'))!);
    const good = fs.readFileSync(file);
    const plain = check(false);
    for (const bytes of [good.subarray(0, good.length - 1), Buffer.from('{}\n[]'), Buffer.from(good.toString('utf8').replace('"settings":"{}"', '"settings":"{\\"x\\":1}"'))]) {
      fs.writeFileSync(file, bytes);
      const run = check(true);
      assert.match(run.stderr, /fact cache in .* not used \((truncated or corrupt|a malformed header|written for other settings or another folder)\)/);
      assert.equal(run.stdout, plain.stdout);
      const rebuilt = check(true);
      assert.doesNotMatch(rebuilt.stderr, /not used/);
      assert.equal(rebuilt.stdout, plain.stdout);
    }
  });

  it('is an option of check only', () => {
    const run = runCli(['preview', '.', '--out', path.join(root, 'out.html'), '--cache', cache], { cwd: workspace });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--cache is not an option of preview/);
  });
});
