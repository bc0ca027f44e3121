/**
 * Path arithmetic on file ids (kustomize/paths.ts): a kustomization's relative paths resolved
 * against its folder with posix semantics, for ids that are `file://` URIs, absolute paths and
 * paths relative to the workspace root (which stay relative).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { dirnameId, joinId } from '../../server/src/engine/kustomize/paths';

describe('kustomize paths', () => {
  it('resolves against URI folders, encoding written segments as editors encode file URIs', () => {
    assert.equal(dirnameId('file:///ws/shop/kustomization.yaml'), 'file:///ws/shop');
    assert.equal(joinId('file:///ws/shop/staging', '../base'), 'file:///ws/shop/base');
    assert.equal(joinId('file:///ws/shop', 'my service.yaml'), 'file:///ws/shop/my%20service.yaml');
    assert.equal(joinId('file:///ws', '../../../etc/passwd'), 'file:///etc/passwd');
  });

  it('resolves against absolute paths', () => {
    assert.equal(dirnameId('/ws/shop/kustomization.yaml'), '/ws/shop');
    assert.equal(joinId('/ws/shop/staging', './../base/./service.yaml'), '/ws/shop/base/service.yaml');
    assert.equal(joinId('/ws/shop', '/abs/file.yaml'), '/abs/file.yaml');
  });

  it('keeps relative ids relative, the root folder being the empty id', () => {
    assert.equal(dirnameId('shop/staging/kustomization.yaml'), 'shop/staging');
    assert.equal(dirnameId('kustomization.yaml'), '');
    assert.equal(joinId('shop/staging', '../base'), 'shop/base');
    assert.equal(joinId('shop', 'service.yaml'), 'shop/service.yaml');
    assert.equal(joinId('', 'service.yaml'), 'service.yaml');
    assert.equal(joinId('shop', '../../up.yaml'), 'up.yaml');
  });
});
