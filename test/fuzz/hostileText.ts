/**
 * Hostile manifest text: alias bombs, deep nesting, very long lines, strings that break naive
 * quoting or object-as-map code. Shared by the engine fuzz tests, the fuzz script and the hostile
 * workspace test of the language server.
 */

/** Names, labels and values that have broken parsers, renderers and object-as-map code elsewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '~',
  'null',
  'true',
  'no',
  '0x1F',
  '1e3',
  '.inf',
  '-',
  '---',
  '...',
  ':',
  '- x',
  '? x',
  '#',
  '&anchor',
  '*alias',
  '!!binary',
  '!tag',
  '%YAML',
  '@',
  '`',
  '|',
  '>',
  '{}',
  '[]',
  '{{ .Values.name }}',
  '${{ secrets.TOKEN }}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE services; --",
  '\\',
  '"',
  "'",
  '\u0000',
  '\u0007',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u202e',
  '\u200b',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u{1f1fa}\u{1f1f8}',
  'e\u0301',
  '名前',
  'مرحبا',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'length',
  '{selector}',
  '{namespace}',
  '%s%s%n',
  'a'.repeat(64),
  'a'.repeat(254),
  'x'.repeat(4096),
  'web--api',
  'UPPER',
  '-leading',
  'trailing-',
  '1234',
  'app.kubernetes.io/name',
  'kubernetes.io/service-name',
  'service-lens/disable',
];

/** Port-like values: valid, out of range, wrong types, names that are not IANA service names. */
export const PORT_VALUES: readonly (string | number | boolean | null)[] = [
  80,
  443,
  8080,
  8081,
  53,
  0,
  -1,
  1.5,
  65535,
  65536,
  30000,
  32767,
  32768,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  'http',
  'web',
  'metrics',
  'dns-udp',
  '8080',
  '',
  'a-very-long-port-name',
  'a--b',
  'UPPER',
  '-x',
  '0x50',
  'NaN',
  true,
  null,
];

/** Short fragments whose insertion at a random offset stresses a YAML reader. */
export const TOKENS: readonly string[] = [
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  '\t',
  '-',
  '- ',
  ': ',
  ':',
  '? ',
  ',',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '#',
  ' # comment',
  '|',
  '|-\n',
  '>+\n',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!str ',
  '!!binary ',
  '!custom ',
  '\n---\n',
  '\n...\n',
  '\n--- !!map\n',
  '%YAML 1.2\n---\n',
  '%TAG ! tag:example.com,2000:\n',
  '{{ .Values.port }}',
  '{{- include "x" . }}\n',
  '\u0000',
  '\ufeff',
  '\u2028',
  '\ud800',
  '\ud83d',
  '\ude00',
  '\ud83d\ude00',
  'apiVersion: v1\n',
  'kind: Service\n',
  'kind: Deployment\n',
  'kind: List\nitems:\n',
  'metadata:\n  name: x\n',
  'namespace: other\n',
  'selector:\n  app: web\n',
  'ports:\n- port: 80\n  targetPort: http\n',
  'labels: {app: web}\n',
  'containers:\n- name: c\n  ports:\n  - containerPort: 8080\n    name: http\n',
  'service-lens/disable: "service-selector-no-match"\n',
  '# service-lens-disable-next-line service-selector-no-match\n',
  '# service-lens-disable-next-line not-a-rule, service-ports-invalid\n',
];

/** Where hostile subtrees are planted: the paths the rules read. */
export type Place = 'selector' | 'labels' | 'ports' | 'containers' | 'metadata' | 'annotations';

export const PLACES: readonly Place[] = ['selector', 'labels', 'ports', 'containers', 'metadata', 'annotations'];

/**
 * A manifest (a Service, or a Deployment for template places) with `subtree` planted at `place`.
 * `subtree` is YAML text for the value, written on its own lines and indented by `indent` spaces
 * when it starts on a new line, or inline otherwise.
 */
export function plant(place: Place, subtree: string, inline: boolean): string {
  const value = (indent: number): string => (inline ? ` ${subtree}` : `\n${indentLines(subtree, indent)}`);
  switch (place) {
    case 'selector':
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: planted\nspec:\n  selector:${value(4)}\n  ports:\n  - port: 80\n`;
    case 'ports':
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: planted\nspec:\n  selector:\n    app: planted\n  ports:${value(2)}\n`;
    case 'metadata':
      return `apiVersion: v1\nkind: Service\nmetadata:${value(2)}\nspec:\n  selector:\n    app: planted\n`;
    case 'annotations':
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: planted\n  annotations:${value(4)}\nspec:\n  selector:\n    app: planted\n`;
    case 'labels':
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: planted\nspec:\n  selector:\n    matchLabels:\n      app: planted\n  template:\n    metadata:\n      labels:${value(8)}\n    spec:\n      containers:\n      - name: c\n`;
    case 'containers':
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: planted\nspec:\n  selector:\n    matchLabels:\n      app: planted\n  template:\n    metadata:\n      labels:\n        app: planted\n    spec:\n      containers:${value(6)}\n`;
  }
}

function indentLines(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

export type NestingStyle = 'flow-map' | 'flow-seq' | 'block-seq' | 'block-map' | 'json';

/**
 * A value nested `depth` levels deep. Flow and compact block sequences stay on one line, so even
 * 10,000 levels are small; block maps grow quadratically (one more space per level).
 */
export function nested(depth: number, style: NestingStyle): string {
  switch (style) {
    case 'flow-map':
      return '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    case 'flow-seq':
      return '['.repeat(depth) + '1' + ']'.repeat(depth);
    case 'block-seq':
      return '- '.repeat(depth) + '1';
    case 'json':
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    case 'block-map': {
      const lines: string[] = [];
      for (let level = 0; level < depth; level++) lines.push(`${' '.repeat(level)}k${level}:`);
      lines.push(`${' '.repeat(depth)}v`);
      return lines.join('\n');
    }
  }
}

/** A whole JSON manifest whose Service selector is nested `depth` levels deep. */
export function nestedJsonManifest(depth: number): string {
  return `{"apiVersion":"v1","kind":"Service","metadata":{"name":"deep"},"spec":{"selector":${nested(depth, 'json')}}}`;
}

/**
 * The "billion laughs": `depth` levels of anchors, each a sequence (or map) of `width` aliases to
 * the level below. Fully expanded it has width^depth leaves.
 */
export function aliasBomb(width: number, depth: number, shape: 'seq' | 'map' = 'seq'): string {
  const lines: string[] = [];
  lines.push(shape === 'seq' ? `- &l0 [lol, lol, lol]` : `l0: &l0 {a: lol, b: lol}`);
  for (let level = 1; level <= depth; level++) {
    const aliases = Array.from({ length: width }, (_, index) => (shape === 'seq' ? `*l${level - 1}` : `k${index}: *l${level - 1}`));
    lines.push(shape === 'seq' ? `- &l${level} [${aliases.join(', ')}]` : `l${level}: &l${level} {${aliases.join(', ')}}`);
  }
  return lines.join('\n');
}

/** A Service whose selector and ports are aliases into an alias bomb declared in its metadata. */
export function aliasBombManifest(width: number, depth: number): string {
  const bomb = aliasBomb(width, depth, 'map')
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: laughs',
    '  labels:',
    bomb,
    'spec:',
    `  selector: *l${depth}`,
    '  ports:',
    `  - port: 80`,
    `    targetPort: *l${depth}`,
    '',
  ].join('\n');
}

/** A Service with one label value `length` characters long (a minified or generated line). */
export function longLineManifest(length: number, character = 'a'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: long\nspec:\n  selector:\n    app: ${character.repeat(length)}\n  ports:\n  - port: 80\n`;
}

/** A Service and a Deployment that link and disagree on the port name: one finding on a known range. */
export function linkedPair(name: string, namespace: string | undefined): string {
  const ns = namespace === undefined ? '' : `\n  namespace: ${namespace}`;
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}${ns}`,
    'spec:',
    '  selector:',
    `    app: ${name}`,
    '  ports:',
    '  - port: 80',
    '    targetPort: http',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}${ns}`,
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '      - name: main',
    '        ports:',
    '        - containerPort: 8080',
    '          name: web',
    '',
  ].join('\n');
}

/** A Service whose metadata declares `count` anchors and whose selector uses each once. */
export function manyAnchorsManifest(count: number): string {
  const anchors = Array.from({ length: count }, (_, index) => `    a${index}: &a${index} v${index}`);
  const aliases = Array.from({ length: count }, (_, index) => `    k${index}: *a${index}`);
  return ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: anchors', '  labels:', ...anchors, 'spec:', '  selector:', ...aliases, ''].join('\n');
}
