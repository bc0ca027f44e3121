/**
 * The traffic preview of a file several kustomize builds hold (examples/kustomize/quotes): the
 * choices (its base built alone, each overlay that builds it), the first overlay by default, each
 * choice as that build makes the objects, and the workspace preview of one build for the CLI.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TrafficPreview } from '../../server/src/protocol/traffic';
import type { FileSpan } from '../../server/src/engine/types';
import { readTree, REPO_ROOT } from '../support/paths';
import { TestHost } from '../support/testHost';

const ROOT = 'file:///workspace/quotes/';
const SERVICE = `${ROOT}base/service.yaml`;
const BASE = `${ROOT}base/kustomization.yaml`;
const PROD = `${ROOT}overlays/prod/kustomization.yaml`;
const STAGING = `${ROOT}overlays/staging/kustomization.yaml`;

function load(): TestHost {
  const host = new TestHost();
  host.setFiles(readTree(join(REPO_ROOT, 'examples', 'kustomize', 'quotes')).map(([path, text]) => [`${ROOT}${path}`, text] as const));
  return host;
}

/** `namespace/name` of each Service, and each port's Pod hop (`label: detail`, or the reason it is broken). */
function summary(preview: TrafficPreview<FileSpan> | undefined): string[] {
  assert.ok(preview);
  return preview.services.map((service) => {
    const pods = service.ports.flatMap((port) => port.hops.filter((hop) => hop.kind === 'pod').map((hop) => hop.broken ?? `${hop.label}: ${hop.detail}`));
    return `${service.namespace}/${service.name} → ${pods.join('; ')}`;
  });
}

describe('traffic preview per kustomize build', () => {
  const host = load();
  const request = (overlay?: string) => host.trafficPreview({ scope: 'service', fileId: SERVICE, offset: 0, overlay });

  it('offers the base as is and each overlay that builds the file; the first overlay by default', () => {
    const preview = request();
    assert.deepEqual(preview?.overlays, {
      selected: PROD,
      choices: [
        { id: BASE, label: 'base', kind: 'base' },
        { id: PROD, label: 'prod', kind: 'overlay' },
        { id: STAGING, label: 'staging', kind: 'overlay' },
      ],
    });
    assert.deepEqual(summary(preview), ['quotes-prod/prod-quotes → Deployment/prod-quotes: container quotes :8080/TCP']);
  });

  it('each choice: that build\'s names, namespace and port resolution', () => {
    assert.deepEqual(summary(request(STAGING)), ['quotes-staging/quotes → No TCP container port named http']);
    assert.equal(request(STAGING)?.overlays?.selected, STAGING);
    assert.deepEqual(summary(request(BASE)), ['default/quotes → Deployment/quotes: container quotes :8080/TCP']);
    assert.equal(request(BASE)?.overlays?.selected, BASE);
    // The locations stay on the base's lines whichever build is shown.
    assert.equal(request(STAGING)?.services[0]?.location.fileId, SERVICE);
  });

  it('an id that is no choice of the file falls back to the first overlay', () => {
    assert.equal(request(`${ROOT}elsewhere/kustomization.yaml`)?.overlays?.selected, PROD);
  });

  it('a file one build holds has no choice', () => {
    const patch = host.trafficPreview({ scope: 'file', fileId: `${ROOT}overlays/staging/port-name.yaml`, offset: 0 });
    assert.equal(patch, undefined, 'a patch holds no Service');
    const single = new TestHost();
    single.setFiles([
      [`${ROOT}app/kustomization.yaml`, 'resources: [service.yaml]\nnamePrefix: x-\n'],
      [`${ROOT}app/service.yaml`, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n'],
    ]);
    const preview = single.trafficPreview({ scope: 'service', fileId: `${ROOT}app/service.yaml`, offset: 0 });
    assert.equal(preview?.services[0]?.name, 'x-web');
    assert.equal(preview?.overlays, undefined);
  });

  it('the base built alone follows edits of the base', () => {
    const edited = load();
    const text = readTree(join(REPO_ROOT, 'examples', 'kustomize', 'quotes')).find(([path]) => path === 'base/service.yaml')![1];
    assert.deepEqual(summary(edited.trafficPreview({ scope: 'service', fileId: SERVICE, offset: 0, overlay: BASE })), ['default/quotes → Deployment/quotes: container quotes :8080/TCP']);
    edited.setFile(SERVICE, text.replace('targetPort: http', 'targetPort: metrics'));
    assert.deepEqual(summary(edited.trafficPreview({ scope: 'service', fileId: SERVICE, offset: 0, overlay: BASE })), ['default/quotes → No TCP container port named metrics']);
  });

  it('without kustomize support: the file as written, no choice', () => {
    const raw = load();
    raw.setConfig({ kustomize: false });
    const preview = raw.trafficPreview({ scope: 'service', fileId: SERVICE, offset: 0, overlay: STAGING });
    assert.equal(preview?.overlays, undefined);
    assert.deepEqual(summary(preview), ['default/quotes → Deployment/quotes: container quotes :8080/TCP']);
  });

  it('the workspace: every build, or the one a kustomization (file or folder) names', () => {
    assert.deepEqual(summary(host.trafficPreview({ scope: 'workspace' })), [
      'quotes-prod/prod-quotes → Deployment/prod-quotes: container quotes :8080/TCP',
      'quotes-staging/quotes → No TCP container port named http',
    ]);
    assert.deepEqual(summary(host.trafficPreview({ scope: 'workspace', overlay: `${ROOT}overlays/staging` })), ['quotes-staging/quotes → No TCP container port named http']);
    assert.deepEqual(summary(host.trafficPreview({ scope: 'workspace', overlay: `${ROOT}base/` })), ['default/quotes → Deployment/quotes: container quotes :8080/TCP']);
    assert.deepEqual(summary(host.trafficPreview({ scope: 'workspace', overlay: PROD })), ['quotes-prod/prod-quotes → Deployment/prod-quotes: container quotes :8080/TCP']);
    assert.equal(host.trafficPreview({ scope: 'workspace', overlay: `${ROOT}nowhere` }), undefined);
  });
});
