/**
 * The fact cache through the real server: a second session takes unchanged files from the cache
 * (storage given in `initializationOptions.storageUri`), re-reads files changed, deleted or added
 * while no server ran, and publishes exactly the diagnostics of a session without a cache; a
 * truncated, corrupt or foreign cache is ignored, said so in the log, and rebuilt.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lspClient';
import { FIXTURES, SERVER_BUNDLE } from './harness';

/** An hour ago: files older than the cache's racy window (2 s) are cached. */
const PAST = Date.now() / 1000 - 3600;

function touchPast(file: string, secondsAgo = 0): void {
  fs.utimesSync(file, PAST - secondsAgo, PAST - secondsAgo);
}

/** Runs one server session on `root`; returns its diagnostics per file (relative path) and its log. */
async function session(root: string, storage: string | undefined): Promise<{ diagnostics: Map<string, string>; logs: string[] }> {
  const client = await LspClient.launch({
    root,
    nodeArguments: [SERVER_BUNDLE],
    initializationOptions: storage === undefined ? {} : { storageUri: pathToFileURL(storage).href },
  });
  try {
    await client.waitForScans(1);
    if (storage !== undefined) await client.waitFor('the fact cache written', () => client.logs.some((entry) => /^Fact cache of .* written/.test(entry.message)));
    const diagnostics = new Map<string, string>();
    for (const [uri, entry] of client.diagnostics) {
      diagnostics.set(path.relative(root, new URL(uri).pathname), JSON.stringify(entry.diagnostics));
    }
    return { diagnostics: new Map([...diagnostics].sort(([left], [right]) => (left < right ? -1 : 1))), logs: client.logs.map((entry) => entry.message) };
  } finally {
    await client.dispose();
  }
}

function cacheLine(logs: readonly string[]): string {
  return logs.filter((line) => line.startsWith('Fact cache')).join(' | ');
}

describe('fact cache', () => {
  let root: string;
  let storage: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cache-')));
    fs.cpSync(path.join(FIXTURES, 'shop'), path.join(root, 'workspace'), { recursive: true });
    storage = path.join(root, 'storage');
    root = path.join(root, 'workspace');
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) touchPast(path.join(entry.parentPath, entry.name));
    }
  });
  after(() => {
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('a warm start re-reads what changed while no server ran and publishes what a cold start does', async () => {
    const cold = await session(root, storage);
    assert.match(cacheLine(cold.logs), /: 0 of \d+ files taken from it/);
    assert.match(cacheLine(cold.logs), /written: [1-9]\d* files/);

    const unchanged = await session(root, storage);
    assert.deepEqual(unchanged.diagnostics, cold.diagnostics);
    const taken = /: (\d+) of (\d+) files taken from it/.exec(cacheLine(unchanged.logs));
    assert.ok(taken && taken[1] === taken[2] && Number(taken[1]) > 0, cacheLine(unchanged.logs));

    // Changed (same size, other content; and longer), deleted and added while no server runs.
    const web = path.join(root, 'services', 'web-service.yaml');
    fs.writeFileSync(web, fs.readFileSync(web, 'utf8').replace('app: web', 'app: wex'));
    touchPast(web, 60);
    const orphan = path.join(root, 'services', 'orphan-service.yaml');
    fs.writeFileSync(orphan, fs.readFileSync(orphan, 'utf8').replace('tier: backend', 'tier: frontend'));
    touchPast(orphan, 60);
    fs.rmSync(path.join(root, 'apps', 'web-deployment.yaml'));
    fs.writeFileSync(path.join(root, 'apps', 'api.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n');
    touchPast(path.join(root, 'apps', 'api.yaml'), 60);

    const warm = await session(root, storage);
    const without = await session(root, undefined);
    assert.deepEqual(warm.diagnostics, without.diagnostics);
    assert.notDeepEqual(warm.diagnostics, cold.diagnostics);
    assert.match(cacheLine(warm.logs), /: [1-9]\d* of \d+ files taken from it/);
  });

  it('reads the files a kustomize overlay builds as texts at a warm start, with the diagnostics of a cold start', async () => {
    const workspace = path.join(path.dirname(root), 'kustomize');
    const kustomizeStorage = path.join(path.dirname(root), 'kustomize-storage');
    fs.cpSync(path.join(FIXTURES, 'kustomize'), workspace, { recursive: true });
    for (const entry of fs.readdirSync(workspace, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) touchPast(path.join(entry.parentPath, entry.name));
    }
    const reference = await session(workspace, undefined);
    assert.ok([...reference.diagnostics.values()].some((list) => list !== '[]'), 'the overlays have findings');
    const cold = await session(workspace, kustomizeStorage);
    assert.match(cacheLine(cold.logs), /written: 1 files/); // extra/service.yaml: no overlay reaches it
    const warm = await session(workspace, kustomizeStorage);
    assert.deepEqual(warm.diagnostics, reference.diagnostics);
    assert.match(cacheLine(warm.logs), /: 1 of 7 files taken from it/);
  });

  it('ignores a truncated, corrupt or foreign cache, says so, and rebuilds it', async () => {
    const reference = await session(root, undefined);
    await session(root, storage);
    const [file] = fs.readdirSync(storage).filter((name) => name.startsWith('facts-'));
    assert.ok(file, 'a cache file');
    const cacheFile = path.join(storage, file);
    const good = fs.readFileSync(cacheFile);
    const newline = good.indexOf(10);
    const damaged: [string, Buffer, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 7), /truncated or corrupt/],
      ['a flipped byte', Buffer.concat([good.subarray(0, newline + 20), Buffer.from('#'), good.subarray(newline + 21)]), /truncated or corrupt/],
      ['no header', Buffer.from('not a cache'), /no header/],
      ['foreign', Buffer.from(good.toString('utf8').replace(/"scope":"[^"]*"/, '"scope":"/elsewhere"')), /other settings or another folder/],
      ['another engine', Buffer.from(good.toString('utf8').replace(/"engine":"[^"]*"/, '"engine":"0"')), /another version/],
    ];
    for (const [name, bytes, reason] of damaged) {
      fs.writeFileSync(cacheFile, bytes);
      const run = await session(root, storage);
      assert.match(cacheLine(run.logs), reason, name);
      assert.match(cacheLine(run.logs), /: 0 of \d+ files taken from it/, name);
      assert.deepEqual(run.diagnostics, reference.diagnostics, name);
      const rebuilt = await session(root, storage);
      assert.doesNotMatch(cacheLine(rebuilt.logs), /not used/, `${name}: rebuilt`);
      assert.deepEqual(rebuilt.diagnostics, reference.diagnostics, `${name}: rebuilt`);
    }
  });
});
