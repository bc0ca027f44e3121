/**
 * fast-check arbitraries for engine fuzzing: whole cases (files, edits, config, probe offsets) built
 * from mutated and truncated real manifests, random bytes and strings, generated manifests with
 * hostile names and values in many YAML styles, deep nesting, alias bombs, very long lines and
 * duplicate-heavy workspaces.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { EngineConfig, SeveritySetting } from '../../server/src/engine/config';
import { RULE_IDS, type RuleId } from '../../server/src/engine/rules/registry';
import { HOSTILE_STRINGS, PLACES, PORT_VALUES, TOKENS, aliasBomb, longLineManifest, nested, plant, type NestingStyle } from './hostileText';
import type { Seed } from './seeds';

export interface FuzzFile {
  readonly fileId: string;
  readonly text: string;
}

export type FuzzEdit =
  | { readonly kind: 'set'; readonly fileId: string; readonly text: string }
  | { readonly kind: 'remove'; readonly fileId: string }
  | { readonly kind: 'config'; readonly config: Partial<EngineConfig> };

export interface FuzzCase {
  /** Which generator made the texts, for reports. */
  readonly family: Family;
  readonly config: Partial<EngineConfig>;
  /** Loaded together with `setFiles`. */
  readonly files: readonly FuzzFile[];
  /** Applied one by one after the load. */
  readonly edits: readonly FuzzEdit[];
  /** Where to hover and ask for previews, as fractions of each file's length (outside 0–1 too). */
  readonly probes: readonly number[];
}

export const FAMILIES = ['mutated', 'truncated', 'random', 'tokens', 'generated', 'deep', 'bomb', 'long', 'duplicates'] as const;
export type Family = (typeof FAMILIES)[number];

/** JSON-like values for generated manifests. */
type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

// ---- strings ---------------------------------------------------------------------------------

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const anyString = fc.string({ unit: 'binary', maxLength: 24 });
/** UTF-16 code units, lone surrogates included. */
const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 24 });

function mostlyFrom(common: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...common) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: codeUnitString },
  );
}

const nameArb = mostlyFrom(['web', 'api', 'db', 'web-api', 'worker']);
const namespaceArb = mostlyFrom(['default', 'shop', 'shop-staging', 'kube-system']);
const labelKeyArb = mostlyFrom(['app', 'tier', 'version', 'app.kubernetes.io/name', 'component']);
const labelValueArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 8, arbitrary: mostlyFrom(['web', 'api', 'db', 'frontend', 'v1', 'v2']) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, 0, 1.5, -3, [], {}) },
);
const portArb: fc.Arbitrary<Json> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PORT_VALUES) }, { weight: 1, arbitrary: fc.integer() }, { weight: 1, arbitrary: anyString });
const protocolArb: fc.Arbitrary<Json> = fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp', 'HTTP', '', null);

/** A label map as own properties only (`__proto__` and friends stay plain keys). */
const labelsArb: fc.Arbitrary<Json> = fc
  .array(fc.tuple(labelKeyArb, labelValueArb), { maxLength: 4 })
  .map((pairs) => Object.fromEntries(pairs) as { [key: string]: Json });

// ---- generated manifests ---------------------------------------------------------------------

function withoutUndefined(entries: Record<string, Json | undefined>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

const annotationsArb: fc.Arbitrary<Json | undefined> = fc.option(
  fc.constantFrom<Json>(
    { 'service-lens/disable': 'service-selector-no-match' },
    { 'service-lens/disable': 'service-ports-invalid, service-target-port-unresolved' },
    { 'service-lens/disable': ' , ,not-a-rule' },
    { 'service-lens/disable': ['service-selector-no-match'] },
    { 'service-lens/disable': null },
    { other: '{{ x }}' },
  ),
  { nil: undefined },
);

const servicePortArb: fc.Arbitrary<Json> = fc
  .record({
    name: fc.option(mostlyFrom(['http', 'https', 'metrics', 'dns']), { nil: undefined }),
    port: portArb,
    targetPort: fc.option(portArb, { nil: undefined }),
    protocol: fc.option(protocolArb, { nil: undefined }),
    nodePort: fc.option(portArb, { nil: undefined }),
  })
  .map(withoutUndefined);

const serviceArb: fc.Arbitrary<Json> = fc
  .record({
    apiVersion: fc.constantFrom<Json>('v1', 'v2', ''),
    name: nameArb,
    namespace: fc.option(namespaceArb, { nil: undefined }),
    annotations: annotationsArb,
    type: fc.option(fc.constantFrom<Json>('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Other', '', null), { nil: undefined }),
    clusterIP: fc.option(fc.constantFrom<Json>('None', '10.0.0.1', ''), { nil: undefined }),
    externalName: fc.option(nameArb, { nil: undefined }),
    selector: fc.option(fc.oneof({ weight: 5, arbitrary: labelsArb }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 'app=web', [], ['app']) }), { nil: undefined }),
    ports: fc.option(fc.oneof({ weight: 5, arbitrary: fc.array(servicePortArb, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 80, 'http', {}) }), { nil: undefined }),
  })
  .map((service) => ({
    apiVersion: service.apiVersion,
    kind: 'Service',
    metadata: withoutUndefined({ name: service.name, namespace: service.namespace, annotations: service.annotations }),
    spec: withoutUndefined({
      type: service.type,
      clusterIP: service.clusterIP,
      externalName: service.externalName,
      selector: service.selector,
      ports: service.ports,
    }),
  }));

const containerPortArb: fc.Arbitrary<Json> = fc
  .record({
    containerPort: portArb,
    name: fc.option(mostlyFrom(['http', 'web', 'metrics', 'dns']), { nil: undefined }),
    protocol: fc.option(protocolArb, { nil: undefined }),
  })
  .map(withoutUndefined);

const containerArb: fc.Arbitrary<Json> = fc
  .record({
    name: nameArb,
    ports: fc.option(fc.array(containerPortArb, { maxLength: 3 }), { nil: undefined }),
    restartPolicy: fc.option(fc.constantFrom<Json>('Always', 'Never'), { nil: undefined }),
  })
  .map(withoutUndefined);

const expressionArb: fc.Arbitrary<Json> = fc
  .record({
    key: labelKeyArb,
    operator: fc.constantFrom<Json>('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus', null),
    values: fc.option(fc.array(labelValueArb, { maxLength: 3 }), { nil: undefined }),
  })
  .map(withoutUndefined);

const workloadArb: fc.Arbitrary<Json> = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController'),
    name: nameArb,
    namespace: fc.option(namespaceArb, { nil: undefined }),
    annotations: annotationsArb,
    labels: labelsArb,
    matchLabels: fc.option(labelsArb, { nil: undefined }),
    matchExpressions: fc.option(fc.array(expressionArb, { maxLength: 2 }), { nil: undefined }),
    containers: fc.oneof({ weight: 6, arbitrary: fc.array(containerArb, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom<Json>(null, 'c', {}) }),
    initContainers: fc.option(fc.array(containerArb, { maxLength: 2 }), { nil: undefined }),
  })
  .map((workload) => {
    const podSpec = withoutUndefined({ containers: workload.containers, initContainers: workload.initContainers });
    const metadata = withoutUndefined({ name: workload.name, namespace: workload.namespace, annotations: workload.annotations });
    if (workload.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels: workload.labels }, spec: podSpec };
    const template = { metadata: { labels: workload.labels }, spec: podSpec };
    const selector = withoutUndefined({ matchLabels: workload.matchLabels, matchExpressions: workload.matchExpressions });
    const spec: { [key: string]: Json } = workload.kind === 'CronJob' ? { jobTemplate: { spec: { template } } } : { selector, template };
    return { apiVersion: 'apps/v1', kind: workload.kind, metadata, spec };
  });

const endpointsArb: fc.Arbitrary<Json> = fc.record({ name: nameArb, port: portArb }).chain(({ name, port }) =>
  fc.constantFrom<Json>(
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port }] }] },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } }, endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port }] },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name, port: { number: port } } } }] } }] } },
  ),
);

const objectArb: fc.Arbitrary<Json> = fc.oneof({ weight: 4, arbitrary: serviceArb }, { weight: 4, arbitrary: workloadArb }, { weight: 1, arbitrary: endpointsArb });

const documentArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 8, arbitrary: objectArb },
  { weight: 1, arbitrary: fc.array(objectArb, { maxLength: 3 }).map((items) => ({ apiVersion: 'v1', kind: 'List', items })) },
  { weight: 1, arbitrary: fc.constantFrom<Json>({ name: 'ci', on: ['push'], jobs: { build: { 'runs-on': 'ubuntu-latest' } } }, { services: { web: { image: 'nginx', ports: ['80:80'] } } }, { openapi: '3.0.0', paths: {} }, 'just a string', null, [1, 2]) },
);

type Style = 'yaml' | 'yaml-flow' | 'yaml-quoted' | 'json' | 'json-compact' | 'raw';
const styleArb = fc.constantFrom<Style>('yaml', 'yaml', 'yaml-flow', 'yaml-quoted', 'json', 'json-compact', 'raw');

function render(document: Json, style: Style): string {
  switch (style) {
    case 'json':
      return JSON.stringify(document, null, 2) + '\n';
    case 'json-compact':
      return JSON.stringify(document) + '\n';
    case 'yaml':
      return stringify(document, { lineWidth: 0 });
    case 'yaml-flow':
      return stringify(document, { lineWidth: 0, collectionStyle: 'flow' });
    case 'yaml-quoted':
      return stringify(document, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', indent: 4 });
    case 'raw':
      return rawYaml(document, 0) + '\n';
  }
}

/** Block YAML with nothing quoted or escaped: hostile strings break it on purpose. */
function rawYaml(value: Json, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((item: Json) => `\n${pad}- ${rawYaml(item, indent + 2).replace(/^\n\s*/, '')}`).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries.map(([key, item]) => `\n${pad}${key}: ${rawYaml(item, indent + 2)}`).join('');
  }
  return String(value);
}

const separatorArb = fc.constantFrom('---\n', '---\n', '--- \n', '--- # next\n', '...\n---\n', '---\r\n', '\n---\n');

const generatedText: fc.Arbitrary<string> = fc
  .array(fc.tuple(documentArb, styleArb), { minLength: 1, maxLength: 4 })
  .chain((documents) =>
    fc.array(separatorArb, { minLength: documents.length, maxLength: documents.length }).map((separators) =>
      documents.map(([document, style], index) => (index === 0 ? '' : separators[index]!) + render(document, style).replace(/^\n/, '')).join(''),
    ),
  );

// ---- mutated and truncated seeds --------------------------------------------------------------

type MutationOp = 'delete' | 'insert' | 'duplicate' | 'replace' | 'swap-lines' | 'indent' | 'truncate' | 'tab';

interface Mutation {
  readonly op: MutationOp;
  readonly at: number;
  readonly other: number;
  readonly length: number;
  readonly token: string;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<MutationOp>('delete', 'insert', 'insert', 'insert', 'duplicate', 'replace', 'swap-lines', 'indent', 'truncate', 'tab'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  other: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 120 }),
  token: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: codeUnitString }),
});

function applyMutation(text: string, mutation: Mutation): string {
  const at = Math.floor(mutation.at * text.length);
  const end = Math.min(text.length, at + mutation.length);
  switch (mutation.op) {
    case 'delete':
      return text.slice(0, at) + text.slice(end);
    case 'insert':
      return text.slice(0, at) + mutation.token + text.slice(at);
    case 'duplicate': {
      const target = Math.floor(mutation.other * text.length);
      return text.slice(0, target) + text.slice(at, end) + text.slice(target);
    }
    case 'replace':
      return text.slice(0, at) + mutation.token + text.slice(at + mutation.token.length);
    case 'truncate':
      return text.slice(0, at);
    case 'tab':
      return text.slice(0, at) + text.slice(at, end).replace(/ {2}/g, '\t') + text.slice(end);
    case 'indent': {
      // Shift the lines of a region by a few spaces (or take them away).
      const shift = mutation.length % 7 - 3;
      const region = text.slice(at, end).replace(/\n( *)/g, (_whole, spaces: string) => `\n${' '.repeat(Math.max(0, spaces.length + shift))}`);
      return text.slice(0, at) + region + text.slice(end);
    }
    case 'swap-lines': {
      const lines = text.split('\n');
      const left = Math.floor(mutation.at * lines.length);
      const right = Math.floor(mutation.other * lines.length);
      if (left >= lines.length || right >= lines.length) return text;
      const swapped = [...lines];
      swapped[left] = lines[right]!;
      swapped[right] = lines[left]!;
      return swapped.join('\n');
    }
  }
}

function seedArb(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  return fc.constantFrom(...seeds);
}

function mutatedText(seeds: readonly Seed[]): fc.Arbitrary<string> {
  return fc.tuple(seedArb(seeds), fc.array(mutationArb, { minLength: 1, maxLength: 6 })).map(([seed, mutations]) => mutations.reduce(applyMutation, seed.text));
}

function truncatedText(seeds: readonly Seed[]): fc.Arbitrary<string> {
  return fc.tuple(seedArb(seeds), fc.double({ min: 0, max: 1, noNaN: true })).map(([seed, at]) => seed.text.slice(0, Math.floor(at * seed.text.length)));
}

// ---- random, deep, bombs, long lines -----------------------------------------------------------

const HEADER = 'apiVersion: v1\nkind: Service\n';

const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  codeUnitString.chain((prefix) => fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 300 }).map((rest) => prefix + rest)),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.string({ unit: 'binary', maxLength: 300 }).map((rest) => HEADER + rest),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => HEADER + 'metadata:\n  name: ' + Buffer.from(bytes).toString('utf8')),
);

const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: hostileString }), { maxLength: 80 })
  .map((parts) => parts.join(''));

const nestingStyleArb = fc.constantFrom<NestingStyle>('flow-map', 'flow-seq', 'block-seq', 'block-map', 'json');

/** How large the expensive families get: the fuzz script goes further than the test suite. */
export interface Scale {
  /** Deepest nesting (flow and compact styles; block maps stay below 400 levels). */
  readonly depth: number;
  /** Longest generated line, in characters. */
  readonly line: number;
  /** Widest and deepest alias bomb. */
  readonly bomb: number;
}

export const FULL_SCALE: Scale = { depth: 3_000, line: 200_000, bomb: 12 };
export const TEST_SCALE: Scale = { depth: 600, line: 20_000, bomb: 8 };

const deepText = (scale: Scale): fc.Arbitrary<string> => fc
  .record({ depth: fc.integer({ min: 1, max: scale.depth }), style: nestingStyleArb, place: fc.constantFrom(...PLACES), inline: fc.boolean() })
  .map(({ depth, style, place, inline }) => {
    // Block maps take one more space per level: keep them to a few hundred levels here.
    const levels = style === 'block-map' ? Math.min(depth, 400) : depth;
    return plant(place, nested(levels, style), inline && style !== 'block-map' && style !== 'block-seq');
  });

const bombText = (scale: Scale): fc.Arbitrary<string> => fc
  .record({ width: fc.integer({ min: 1, max: scale.bomb }), depth: fc.integer({ min: 1, max: scale.bomb }), place: fc.constantFrom(...PLACES), shape: fc.constantFrom<'seq' | 'map'>('seq', 'map') })
  .map(({ width, depth, place, shape }) => {
    const bomb = aliasBomb(width, depth, shape);
    // The anchors live in the document; the planted value refers to the top level.
    return `x-anchors:\n${bomb.replace(/^/gm, '  ')}\n` + plant(place, `*l${depth}`, true);
  });

const longText = (scale: Scale): fc.Arbitrary<string> => fc
  .record({ length: fc.integer({ min: 1_000, max: scale.line }), character: fc.constantFrom('a', ' ', '{', '\u00e9', '\ud83d\ude00', '-') })
  .map(({ length, character }) => longLineManifest(Math.ceil(length / character.length), character));

// ---- whole cases ------------------------------------------------------------------------------

type LineEnding = 'lf' | 'crlf' | 'cr' | 'bom' | 'bom-crlf';

function withLineEnding(text: string, ending: LineEnding): string {
  switch (ending) {
    case 'lf':
      return text;
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return '\ufeff' + text;
    case 'bom-crlf':
      return '\ufeff' + text.replace(/\r?\n/g, '\r\n');
  }
}

const lineEndingArb = fc.constantFrom<LineEnding>('lf', 'lf', 'lf', 'lf', 'lf', 'crlf', 'crlf', 'bom', 'bom-crlf', 'cr');

/** File ids are opaque to the engine; odd ones must work as well as URIs. */
const fileIdArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }).map((index) => `file:///workspace/manifests/file-${index}.yaml`) },
  { weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'file:///workspace/ü ä/%20.yaml', 'untitled:Untitled-1', '\u0000') },
);

function textArb(family: Family, seeds: readonly Seed[], scale: Scale): fc.Arbitrary<string> {
  switch (family) {
    case 'mutated':
      return mutatedText(seeds);
    case 'truncated':
      return truncatedText(seeds);
    case 'random':
      return randomText;
    case 'tokens':
      return tokenSoup;
    case 'generated':
      return generatedText;
    case 'deep':
      return deepText(scale);
    case 'bomb':
      return bombText(scale);
    case 'long':
      return longText(scale);
    case 'duplicates':
      return duplicateBase(seeds);
  }
}

// ---- duplicate-heavy workspaces -----------------------------------------------------------------

/** Values one or two characters apart: nearest misses tie and move between copies. */
const nearValueArb = fc.constantFrom('web', 'webb', 'we', 'wex', 'web1', 'api', 'apj');

/** A Service and a Deployment whose labels are near each other (matching or one character off). */
const pairText: fc.Arbitrary<string> = fc
  .record({ name: fc.constantFrom('web', 'api'), wanted: nearValueArb, actual: nearValueArb, tier: fc.option(fc.constantFrom('back', 'front'), { nil: undefined }), namespace: fc.option(fc.constantFrom('shop', 'other'), { nil: undefined }) })
  .map(({ name, wanted, actual, tier, namespace }) => {
    const ns = namespace === undefined ? '' : `\n  namespace: ${namespace}`;
    const extra = tier === undefined ? '' : `\n    tier: ${tier}`;
    return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}${ns}\nspec:\n  selector:\n    app: ${wanted}${extra}\n  ports:\n    - port: 80\n      targetPort: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${actual}\n  template:\n    metadata:\n      labels:\n        app: ${actual}${extra}\n    spec:\n      containers:\n        - name: ${name}\n          ports:\n            - containerPort: 8080\n`;
  });

function duplicateBase(seeds: readonly Seed[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: pairText }, { weight: 1, arbitrary: mutatedText(seeds) }, { weight: 1, arbitrary: generatedText });
}

/**
 * Many copies of one or two texts (identical files, a text repeated inside one file), edited one
 * copy at a time: the shapes where nearest-miss ranking once cost cubic time. At most 24 files:
 * the checks probe every file with previews of its whole namespace, which costs the square of the
 * copies (hundreds of copies are timed by the hostile and race tests instead).
 */
function duplicatesCaseArb(seeds: readonly Seed[]): fc.Arbitrary<FuzzCase> {
  const copyId = (index: number) => `file:///workspace/copies/copy-${String(index).padStart(3, '0')}.yaml`;
  return fc
    .record({
      bases: fc.array(duplicateBase(seeds), { minLength: 1, maxLength: 2 }),
      copies: fc.integer({ min: 2, max: 24 }),
      repeat: fc.integer({ min: 1, max: 2 }),
      edits: fc.array(fc.record({ copy: fc.nat(23), text: duplicateBase(seeds), remove: fc.boolean() }), { maxLength: 6 }),
      config: configArb,
      probes: fc.array(fc.double({ min: -0.05, max: 1.05, noNaN: true }), { maxLength: 3 }),
    })
    .map(({ bases, copies, repeat, edits, config, probes }) => ({
      family: 'duplicates' as const,
      config,
      files: Array.from({ length: copies }, (_, index) => ({ fileId: copyId(index), text: Array.from({ length: repeat }, () => bases[index % bases.length]!).join('---\n') })),
      edits: edits.map((edit): FuzzEdit => (edit.remove ? { kind: 'remove', fileId: copyId(edit.copy % copies) } : { kind: 'set', fileId: copyId(edit.copy % copies), text: edit.text })),
      probes,
    }));
}

const severityArb = fc.constantFrom<SeveritySetting>('error', 'warning', 'information', 'hint', 'off');

const configArb: fc.Arbitrary<Partial<EngineConfig>> = fc
  .record({
    defaultNamespace: fc.option(mostlyFrom(['default', 'shop']), { nil: undefined }),
    clusterDomain: fc.option(mostlyFrom(['cluster.local', 'example.com.', '...']), { nil: undefined }),
    rules: fc.option(fc.array(fc.tuple(fc.constantFrom<RuleId>(...RULE_IDS), severityArb), { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs)), { nil: undefined }),
  })
  .map((config) => {
    const out: { -readonly [K in keyof EngineConfig]?: EngineConfig[K] } = {};
    if (config.defaultNamespace !== undefined) out.defaultNamespace = config.defaultNamespace;
    if (config.clusterDomain !== undefined) out.clusterDomain = config.clusterDomain;
    if (config.rules !== undefined) out.rules = config.rules;
    return out;
  });

/**
 * A fuzz case of one family: texts of that family (mixed with a few plain mutated seeds so that
 * hostile files sit in a universe with real links), loaded, then edited, removed and reconfigured.
 */
export function caseArb(family: Family, seeds: readonly Seed[], scale: Scale = FULL_SCALE): fc.Arbitrary<FuzzCase> {
  if (family === 'duplicates') return duplicatesCaseArb(seeds);
  const familyText = fc.tuple(textArb(family, seeds, scale), lineEndingArb).map(([text, ending]) => withLineEnding(text, ending));
  const anyText = fc.oneof({ weight: 4, arbitrary: familyText }, { weight: 1, arbitrary: mutatedText(seeds) });
  const fileArb = fc.record({ fileId: fileIdArb, text: anyText });
  const editArb: fc.Arbitrary<FuzzEdit> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), fileId: fileIdArb, text: anyText }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), fileId: fileIdArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('config' as const), config: configArb }) },
  );
  return fc.record({
    family: fc.constant(family),
    config: configArb,
    files: fc.array(fileArb, { minLength: 1, maxLength: 4 }),
    edits: fc.array(editArb, { maxLength: 4 }),
    probes: fc.array(fc.double({ min: -0.05, max: 1.05, noNaN: true }), { maxLength: 6 }),
  });
}

/** Every family, in equal parts. */
export function anyCaseArb(seeds: readonly Seed[], scale: Scale = FULL_SCALE): fc.Arbitrary<FuzzCase> {
  return fc.oneof(...FAMILIES.map((family) => caseArb(family, seeds, scale)));
}

/**
 * The order of families in a long run, repeated: every family often, alias bombs (the slowest
 * cases by far) once per cycle.
 */
export const SCHEDULE: readonly Family[] = [
  'mutated', 'truncated', 'random', 'tokens', 'generated', 'deep', 'long', 'mutated',
  'truncated', 'random', 'tokens', 'generated', 'deep', 'long', 'duplicates', 'bomb',
];

/** A 32-bit seed for case `index` of a run seeded with `seed` (a mix, so neighbours differ). */
export function caseSeed(seed: number, index: number): number {
  let hash = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  hash = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  hash = Math.imul(hash ^ (hash >>> 15), 0x846ca68b);
  return (hash ^ (hash >>> 16)) | 0;
}

/** Case `index` of a run: the same arguments always give the same case, so any case replays alone. */
export function caseAt(seeds: readonly Seed[], seed: number, index: number, scale: Scale = FULL_SCALE, families: readonly Family[] = SCHEDULE): FuzzCase {
  const family = families[index % families.length]!;
  const [fuzzCase] = fc.sample(caseArb(family, seeds, scale), { seed: caseSeed(seed, index), numRuns: 1 });
  return fuzzCase!;
}
