/**
 * Following the disk: the server registers a file watcher, and created, changed and deleted files
 * (and deleted folders, reported as the folder alone) update the diagnostics.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { LspSession } from './harness';

const SERVICE = 'services/web-service.yaml';
const DEPLOYMENT = 'apps/web-deployment.yaml';

const unmatched = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`;
const hasNoMatch = (list: readonly { code?: number | string }[]): boolean => list.some((diagnostic) => diagnostic.code === 'service-selector-no-match');

describe('following the disk', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'shop' });
  });
  after(async () => {
    await session?.dispose();
  });

  it('registers a watcher for manifest files', async () => {
    const registration = await session.waitFor('a watched-files registration', () =>
      session.registrations.find((candidate) => candidate.method === 'workspace/didChangeWatchedFiles'),
    );
    const options = registration.registerOptions as { watchers: { globPattern: unknown }[] };
    assert.ok(options.watchers.some((watcher) => watcher.globPattern === '**/{*.yaml,*.yml,*.json,Kustomization}'), JSON.stringify(options));
  });

  it('adds a created file and drops it when deleted', async () => {
    await session.writeFile('services/late.yaml', unmatched('late'));
    await session.waitForDiagnostics('services/late.yaml', 'no match', hasNoMatch);
    await session.deletePath('services/late.yaml');
    await session.waitForDiagnostics('services/late.yaml', 'cleared', (list) => list.length === 0);
  });

  it('re-reads a changed file that is not open, and its change reaches other files', async () => {
    const original = session.read(DEPLOYMENT);
    await session.writeFile(DEPLOYMENT, original.replace(/^( {8}app:) web$/m, '$1 web-v2'));
    await session.waitForDiagnostics(SERVICE, 'no match after the Deployment changed on disk', hasNoMatch);
    await session.writeFile(DEPLOYMENT, original);
    await session.waitForDiagnostics(SERVICE, 'clean again', (list) => list.length === 0);
  });

  it('prefers the open document over the disk until it is closed', async () => {
    const original = session.read(DEPLOYMENT);
    await session.open(DEPLOYMENT, original);
    await session.writeFile(DEPLOYMENT, original.replace(/^( {8}app:) web$/m, '$1 web-v3'));
    // The next publication proves the change event was processed and ignored.
    await session.writeFile('services/marker.yaml', unmatched('marker'));
    await session.waitForDiagnostics('services/marker.yaml', 'marker processed', hasNoMatch);
    assert.deepEqual(session.codesOf(SERVICE), [], 'the open text still matches');
    // Closing falls back to the disk's text, which no longer matches.
    await session.close(DEPLOYMENT);
    await session.waitForDiagnostics(SERVICE, 'no match once closed', hasNoMatch);
    await session.writeFile(DEPLOYMENT, original);
    await session.waitForDiagnostics(SERVICE, 'clean again', (list) => list.length === 0);
    await session.deletePath('services/marker.yaml');
  });

  it('indexes a created folder and drops the files of a deleted folder', async () => {
    // The watcher reports the folder only, as when a folder is moved in or removed.
    const pathOf = (name: string): string => `extra/nested/${name}.yaml`;
    const write = (name: string): void => {
      fs.mkdirSync(session.path('extra/nested'), { recursive: true });
      fs.writeFileSync(session.path(pathOf(name)), unmatched(name));
    };
    write('alpha');
    write('beta');
    await session.notifyWatched([{ relative: 'extra', type: FileChangeType.Created }]);
    await session.waitForDiagnostics(pathOf('alpha'), 'alpha indexed', hasNoMatch);
    await session.waitForDiagnostics(pathOf('beta'), 'beta indexed', hasNoMatch);
    await session.deletePath('extra');
    await session.waitForDiagnostics(pathOf('alpha'), 'alpha cleared', (list) => list.length === 0);
    await session.waitForDiagnostics(pathOf('beta'), 'beta cleared', (list) => list.length === 0);
    assert.deepEqual(session.errors, []);
  });
});
