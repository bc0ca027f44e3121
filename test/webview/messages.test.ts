import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHostMessage, parsePreviewState, parseStandaloneData } from '../../client/webview/messages';
import { HOSTILE, ONE_SERVICE, PREVIEW, SIX_HOPS } from './fixtures/previews';

/** A deep copy with one property replaced, addressed by a path of keys and indices. */
function withValue(value: unknown, keys: readonly (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let target: Record<string | number, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = keys.at(-1)!;
  if (replacement === undefined) Reflect.deleteProperty(target, last);
  else target[last] = replacement;
  return copy;
}

describe('host messages are validated before anything renders them', () => {
  test('well-formed preview and empty messages are accepted as they are', () => {
    for (const preview of [PREVIEW, ONE_SERVICE, HOSTILE, SIX_HOPS]) {
      const message = { type: 'preview', preview: JSON.parse(JSON.stringify(preview)) as unknown };
      assert.deepEqual(parseHostMessage(message), message);
    }
    assert.deepEqual(parseHostMessage({ type: 'empty', reason: 'No Service at the cursor.' }), { type: 'empty', reason: 'No Service at the cursor.' });
    const built = { type: 'preview', preview: { ...JSON.parse(JSON.stringify(ONE_SERVICE)), overlays: OVERLAYS } };
    assert.deepEqual(parseHostMessage(built), built);
  });

  const OVERLAYS = {
    selected: 'file:///w/overlays/prod/kustomization.yaml',
    choices: [
      { id: 'file:///w/base/kustomization.yaml', label: 'base', kind: 'base' },
      { id: 'file:///w/overlays/prod/kustomization.yaml', label: 'prod', kind: 'overlay' },
    ],
  };
  const preview = { type: 'preview', preview: PREVIEW };
  const withOverlays = { type: 'preview', preview: { ...PREVIEW, overlays: OVERLAYS } };
  const malformed: readonly [string, unknown][] = [
    ['null', null],
    ['a string', 'preview'],
    ['an array', [preview]],
    ['an unknown type', { type: 'render', preview: PREVIEW }],
    ['a view message', { type: 'reveal', location: { uri: 'file:///x', line: 0, character: 0 } }],
    ['empty without a reason', { type: 'empty' }],
    ['empty with a numeric reason', { type: 'empty', reason: 7 }],
    ['preview without data', { type: 'preview' }],
    ['another version', withValue(preview, ['preview', 'version'], 2)],
    ['an unknown scope', withValue(preview, ['preview', 'scope'], 'cluster')],
    ['services not an array', withValue(preview, ['preview', 'services'], {})],
    ['a service name that is not a string', withValue(preview, ['preview', 'services', 0, 'name'], 42)],
    ['a selector value that is not a string', withValue(preview, ['preview', 'services', 0, 'selector'], { app: 1 })],
    ['a location with a negative line', withValue(preview, ['preview', 'services', 0, 'location', 'line'], -1)],
    ['a location with a fractional character', withValue(preview, ['preview', 'services', 0, 'location', 'character'], 1.5)],
    ['an unknown record type', withValue(preview, ['preview', 'services', 0, 'dns', 'records', 0, 'type'], 'MX')],
    ['a missing fqdn', withValue(preview, ['preview', 'services', 0, 'dns', 'fqdn'], undefined)],
    ['env applies as a string', withValue(preview, ['preview', 'services', 0, 'env', 'applies'], 'yes')],
    ['a collision without a location', withValue(preview, ['preview', 'services', 0, 'env', 'collisions', 0, 'location'], undefined)],
    ['an unknown hop kind', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'hops', 0, 'kind'], 'router')],
    ['a hop column that is not a number', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'hops', 0, 'column'], '0')],
    ['a broken reason that is not a string', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'hops', 1, 'broken'], true)],
    ['hop notes missing', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'hops', 1, 'notes'], undefined)],
    ['an edge without a target', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'edges', 0, 'to'], undefined)],
    ['two hops with one id', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'hops', 1, 'id'], 'client')],
    ['a port that is not a number', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'port'], '80')],
    ['a port-forward of an unknown kind', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'portForward', 'kind'], 'tunnel')],
    ['a port-forward command that is not a string', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'portForward', 'command'], ['kubectl'])],
    ['a port-forward without its local port', withValue(preview, ['preview', 'services', 0, 'ports', 0, 'portForward', 'localPort'], undefined)],
    ['an unavailable port-forward without a reason', withValue(preview, ['preview', 'services', 3, 'ports', 0, 'portForward', 'reason'], undefined)],
    ['overlays that select no choice', withValue(withOverlays, ['preview', 'overlays', 'selected'], 'file:///w/other/kustomization.yaml')],
    ['overlays with one choice', withValue(withOverlays, ['preview', 'overlays', 'choices'], [OVERLAYS.choices[1]])],
    ['overlays with an unknown kind', withValue(withOverlays, ['preview', 'overlays', 'choices', 0, 'kind'], 'component')],
    ['overlays with an empty id', withValue(withOverlays, ['preview', 'overlays', 'choices', 0, 'id'], '')],
    ['overlays with one id twice', withValue(withOverlays, ['preview', 'overlays', 'choices', 0, 'id'], OVERLAYS.selected)],
  ];
  for (const [name, message] of malformed) {
    test(`rejects ${name}`, () => {
      assert.equal(parseHostMessage(message), undefined);
    });
  }
});

describe('restored state and embedded data', () => {
  test('state keeps its valid parts and drops a malformed preview', () => {
    const state = { scope: 'file', uri: 'file:///w/web.yaml', position: { line: 3, character: 1 }, preview: ONE_SERVICE };
    assert.deepEqual(parsePreviewState(state), state);
    assert.deepEqual(parsePreviewState({ ...state, preview: { version: 9 } }), { scope: 'file', uri: state.uri, position: state.position });
    assert.equal(parsePreviewState({ scope: 'everything' }), undefined);
    assert.equal(parsePreviewState(undefined), undefined);
  });

  test('standalone data is JSON with a message and an optional file: source root', () => {
    const message = JSON.parse(JSON.stringify({ type: 'preview', preview: ONE_SERVICE })) as unknown;
    assert.deepEqual(parseStandaloneData(JSON.stringify({ message, sourceRoot: 'file:///project/' })), { message, sourceRoot: 'file:///project/' });
    assert.deepEqual(parseStandaloneData(JSON.stringify({ message, sourceRoot: 'javascript:alert(1)//' })), { message });
    assert.equal(parseStandaloneData('{"message": '), undefined);
    assert.equal(parseStandaloneData(JSON.stringify({ message: { type: 'preview' } })), undefined);
  });
});
