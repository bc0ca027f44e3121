/**
 * Workspace folders: each folder is its own linking universe, and folders added or removed while
 * the server runs are indexed or dropped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withSession } from './harness';

const SERVICE = 'services/web-service.yaml';
const ORPHAN = 'services/orphan-service.yaml';
const DEPLOYMENT = 'apps/web-deployment.yaml';
const hasNoMatch = (list: readonly { code?: number | string }[]): boolean => list.some((diagnostic) => diagnostic.code === 'service-selector-no-match');

describe('workspace folders', () => {
  it('links only within a folder', async () => {
    await withSession({ fixture: 'shop', folders: ['services', 'apps'] }, async (session) => {
      // Service/web's Deployment lives in the other folder, another universe.
      await session.waitForDiagnostics(SERVICE, 'no match across folders', hasNoMatch);
      assert.deepEqual(session.codesOf(DEPLOYMENT), []);
    });
  });

  it('indexes an added folder and drops a removed one', async () => {
    await withSession({ fixture: 'shop', folders: ['apps'] }, async (session) => {
      assert.equal(session.diagnostics.has(session.uri(ORPHAN)), false, 'services/ is not in the workspace yet');
      await session.changeFolders(['.'], ['apps']);
      await session.waitForScans(2);
      await session.waitForDiagnostics(ORPHAN, 'indexed with the added folder', hasNoMatch);
      // One universe again: Service/web matches the Deployment.
      await session.waitForDiagnostics(SERVICE, 'published clean', (list) => list.length === 0);
      await session.changeFolders([], ['.']);
      await session.waitForDiagnostics(ORPHAN, 'cleared with its folder', (list) => list.length === 0);
      assert.deepEqual(session.errors, []);
    });
  });
});
