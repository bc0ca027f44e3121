/** Helm's `condition` and `tags` of chart dependencies (render/dependencyConditions.ts), as helm documents them. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dependencyEnabled, disabledDependencies } from '../../server/src/render/dependencyConditions';

describe('chart dependency conditions and tags', () => {
  it('the first condition path that is a boolean decides; conditions override tags; tags: any true is on', () => {
    const values = { redis: { enabled: false }, cache: { enabled: 'yes' }, tags: { backend: false, extras: true } };
    assert.equal(dependencyEnabled({ name: 'redis' }, values), true);
    assert.equal(dependencyEnabled({ name: 'redis', condition: 'redis.enabled' }, values), false);
    assert.equal(dependencyEnabled({ name: 'redis', condition: 'missing.path, cache.enabled, redis.enabled' }, values), false);
    assert.equal(dependencyEnabled({ name: 'redis', condition: 'missing.path' }, values), true);
    assert.equal(dependencyEnabled({ name: 'a', tags: ['backend'] }, values), false);
    assert.equal(dependencyEnabled({ name: 'a', tags: ['backend', 'extras'] }, values), true);
    assert.equal(dependencyEnabled({ name: 'a', tags: ['unset'] }, values), true);
    assert.equal(dependencyEnabled({ name: 'a', tags: ['extras'], condition: 'redis.enabled' }, values), false);
  });

  it('values files merge over values.yaml in order; a dependency under two aliases is needed when either is on', () => {
    const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-conditions-'));
    try {
      fs.writeFileSync(
        path.join(chart, 'Chart.yaml'),
        'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    condition: redis.enabled\n  - name: db\n    alias: primary\n    condition: primary.enabled\n  - name: db\n    alias: replica\n    condition: replica.enabled\n',
      );
      fs.writeFileSync(path.join(chart, 'values.yaml'), 'redis:\n  enabled: true\n  port: 6379\nprimary:\n  enabled: false\nreplica:\n  enabled: false\n');
      const off = path.join(chart, 'off.yaml');
      fs.writeFileSync(off, 'redis:\n  enabled: false\n');
      const replica = path.join(chart, 'replica.yaml');
      fs.writeFileSync(replica, 'replica:\n  enabled: true\n');
      assert.deepEqual(disabledDependencies(chart, [], ['redis', 'db']), ['db']);
      assert.deepEqual(disabledDependencies(chart, [off], ['redis', 'db']), ['redis', 'db']);
      assert.deepEqual(disabledDependencies(chart, [off, replica], ['redis', 'db']), ['redis']);
      assert.deepEqual(disabledDependencies(path.join(chart, 'none'), [], ['redis']), []);
    } finally {
      fs.rmSync(chart, { recursive: true, force: true });
    }
  });
});
