/**
 * The order of the server's folder walk: a folder's files before its subfolders, in name order,
 * each folder's kustomization file first, so that every file comes after the kustomizations above
 * it (the engine then keeps what a kustomize build takes of the file as it reads it).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { walkManifests } from '../../server/src/lsp/scanner';

test('the walk gives a folder\'s kustomization first (`Kustomization` too), then its files in name order, then its subfolders', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-walk-')));
  try {
    for (const file of ['a.yaml', 'kustomization.yaml', 'z.yml', 'base/deployment.yaml', 'base/kustomization.yml', 'base/service.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/patch.yaml', 'overlays/test/Kustomization', 'overlays/test/a.yaml', 'overlays/test/kustomization', 'readme.md']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), 'kind: ConfigMap\n');
    }
    const walked: string[] = [];
    for await (const file of walkManifests(root, { skipDirectory: () => false, skipFile: () => false, onError: () => undefined, links: { folder: root, followOutside: false, onOutside: () => undefined } })) {
      walked.push(path.relative(root, file));
    }
    assert.deepEqual(walked, ['kustomization.yaml', 'a.yaml', 'z.yml', 'base/kustomization.yml', 'base/deployment.yaml', 'base/service.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/patch.yaml', 'overlays/test/Kustomization', 'overlays/test/a.yaml']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
