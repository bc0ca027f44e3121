/**
 * Resolution of plain (unquoted) scalars as kubectl reads them. kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which decodes through its go-yaml v2 fork (go.yaml.in/yaml/v2): plain scalars
 * resolve by that library's YAML 1.1 table, `resolve()` in resolve.go
 * (https://github.com/yaml/go-yaml/blob/v2/resolve.go). This module implements that table, so
 * `yes`, `on` and `y` are booleans, `0777` is octal, `0b101` binary, `1_000` an integer, and both
 * tree producers (the block extractor and the `yaml`-library reader) share it.
 *
 * Quoted and block scalars are always strings; only plain scalars come here.
 */
import type { ScalarValue } from './tree';

/**
 * go-yaml's hint table: only scalars whose first character is a sign, a digit, `.`, or one of
 * `yYnNtTfFoO~` can resolve to anything but a string (the empty scalar is null).
 */
const enum Hint {
  None,
  Sign,
  Digit,
  Map,
  Dot,
}

function hintOf(code: number): Hint {
  if (code >= 0x30 && code <= 0x39) return Hint.Digit;
  switch (code) {
    case 0x2b: // +
    case 0x2d: // -
      return Hint.Sign;
    case 0x2e: // .
      return Hint.Dot;
    case 0x79: case 0x59: case 0x6e: case 0x4e: case 0x74: case 0x54: // y Y n N t T
    case 0x66: case 0x46: case 0x6f: case 0x4f: case 0x7e: // f F o O ~
      return Hint.Map;
    default:
      return Hint.None;
  }
}

/** go-yaml v2's `resolveMap`: exact spellings only (`yEs` is a string). */
const WORDS: ReadonlyMap<string, ScalarValue> = new Map<string, ScalarValue>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((word) => [word, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((word) => [word, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((word) => [word, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((word) => [word, -Infinity] as const),
]);

/**
 * go-yaml v3's `resolveMap` (kyaml, which kustomize reads resources and patches with): YAML 1.2's
 * core words, so `yes`, `on`, `y` and their kin are strings. Its numbers resolve as go-yaml v2's.
 */
const KYAML_WORDS: ReadonlyMap<string, ScalarValue> = new Map<string, ScalarValue>([
  ...['true', 'True', 'TRUE'].map((word) => [word, true] as const),
  ...['false', 'False', 'FALSE'].map((word) => [word, false] as const),
  ...[...WORDS].filter(([, value]) => value === null || typeof value === 'number'),
]);

/** go-yaml v2's `yamlStyleFloat`, tried after the integer forms. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's `strconv.ParseFloat` accepts for a text starting with `.` (underscores checked apart). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Readonly<Record<number, string>> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** A resolved plain scalar: its value and whether go-yaml typed it as an integer (for key text). */
interface Resolved {
  readonly value: ScalarValue;
  readonly integer: boolean;
}

function resolve(source: string, words: ReadonlyMap<string, ScalarValue> = WORDS): Resolved {
  const hint = source.length === 0 ? Hint.Map : hintOf(source.charCodeAt(0));
  if (hint === Hint.None) return { value: source, integer: false };
  const word = words.get(source);
  if (word !== undefined) return { value: word, integer: false };
  if (hint === Hint.Map) return { value: source, integer: false };
  if (hint === Hint.Dot) {
    // strconv.ParseFloat(in, 64): Go float syntax, underscores only between digits; out of range is an error.
    if (underscoresOk(source)) {
      const plain = source.replace(/_/g, '');
      if (DOT_FLOAT.test(plain)) {
        const number = Number(plain);
        if (Number.isFinite(number)) return { value: number, integer: false };
      }
    }
    return { value: source, integer: false };
  }
  // A sign or a digit: an integer, a float, or (unquoted) a timestamp. go-yaml decodes a timestamp
  // into an interface{} as its text, and no timestamp is also a number, so timestamps stay strings.
  const plain = source.replace(/_/g, '');
  const signed = parseInt64(plain, 0);
  if (signed !== undefined) return { value: Number(signed), integer: true };
  const unsigned = parseUint64(plain, 0);
  if (unsigned !== undefined) return { value: Number(unsigned), integer: true };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const number = Number(plain);
    if (Number.isFinite(number)) return { value: number, integer: false };
  }
  if (plain.startsWith('0b')) {
    const binary = parseInt64(plain.slice(2), 2) ?? parseUint64(plain.slice(2), 2);
    if (binary !== undefined) return { value: Number(binary), integer: true };
  } else if (plain.startsWith('-0b')) {
    const binary = parseInt64('-' + plain.slice(3), 2);
    if (binary !== undefined) return { value: Number(binary), integer: true };
  }
  return { value: source, integer: false };
}

/**
 * The value of a plain scalar as kubectl reads it (go-yaml v2, YAML 1.1): `true`/`yes`/`on`/`y`
 * (and their capitalised and upper-case spellings) are true, `false`/`no`/`off`/`n` false,
 * `~`/`null`/empty null; integers in base 10, `0x` hex, `0`/`0o` octal and `0b` binary with
 * underscores ignored and the 64-bit range; floats, `.inf` and `.nan`. Anything else is a string.
 * Numbers beyond 2^53 lose precision (JSON numbers in JavaScript).
 */
export function resolvePlain(source: string): ScalarValue {
  return resolveWith(source, WORDS);
}

/**
 * The value of a plain scalar as kustomize reads it (kyaml: go-yaml v3, YAML 1.2's core schema):
 * booleans are `true` and `false` (also capitalised and in capitals) only, so `yes`, `on`, `y` and
 * `n` are strings; null, `.inf`, `.nan` and numbers (Go's integer syntax, underscores ignored,
 * `yamlStyleFloat`) as `resolvePlain` reads them
 * (https://github.com/go-yaml/yaml/blob/v3/resolve.go).
 */
export function resolveKyamlPlain(source: string): ScalarValue {
  return resolveWith(source, KYAML_WORDS);
}

function resolveWith(source: string, words: ReadonlyMap<string, ScalarValue>): ScalarValue {
  // The common cases without the general table: a text that cannot be anything but a string, and a
  // short decimal integer (no sign, no leading zero: those are octal), which is exact as a number.
  const hint = source.length === 0 ? Hint.Map : hintOf(source.charCodeAt(0));
  if (hint === Hint.None) return source;
  if (hint === Hint.Digit && isShortDecimal(source)) return Number(source);
  return resolve(source, words).value;
}

/** Whether a text is 1–15 decimal digits without a leading zero (or `0` itself): an exact integer. */
function isShortDecimal(source: string): boolean {
  const length = source.length;
  if (length > 15 || (length > 1 && source.charCodeAt(0) === 0x30)) return false;
  for (let index = 0; index < length; index++) {
    const code = source.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** The core tags a scalar can be explicitly resolved as (`!!int 80`, `!!bool "yes"`). */
export type CoreScalarTag = 'int' | 'float' | 'bool' | 'null';

/**
 * The value of a scalar with an explicit core tag, as go-yaml v2 resolves it: the text is read by
 * the same table as a plain scalar (even when quoted) and must give that type; an integer is
 * accepted as a float. Throws an Error with go-yaml's message otherwise (`!!int abc`).
 */
export function resolveTagged(source: string, tag: CoreScalarTag): ScalarValue {
  const { value, integer } = resolve(source);
  const ok =
    tag === 'int' ? integer : tag === 'float' ? typeof value === 'number' : tag === 'bool' ? typeof value === 'boolean' : value === null;
  if (!ok) throw new Error(`cannot decode \`${source}\` as a !!${tag}`);
  return value;
}

/**
 * The key text of a plain scalar used as a mapping key. sigs.k8s.io/yaml turns go-yaml's typed keys
 * into JSON object keys (`convertToJSONableObject` in yaml.go): integers in base 10, floats by
 * `strconv.FormatFloat(f, 'g', -1, 32)` (with `.inf`, `-.inf`, `.nan`), booleans as `true` and
 * `false`; so `yes:` is the key `true` and `0x10:` the key `16`. A null key (kubectl rejects it)
 * reads as the empty text.
 */
export function plainKeyText(source: string): string {
  const hint = source.length === 0 ? Hint.Map : hintOf(source.charCodeAt(0));
  if (hint === Hint.None || (hint === Hint.Digit && isShortDecimal(source))) return source;
  const { value, integer } = resolve(source);
  if (value === null) return '';
  if (typeof value !== 'number' || integer) return String(value);
  return formatFloat32(value);
}

/** Go's `strconv.FormatFloat(value, 'g', -1, 32)` with go-yaml's names for the special values. */
function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  const single = Math.fround(value);
  if (single === Infinity) return '.inf';
  if (single === -Infinity) return '-.inf';
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  // The shortest digits that read back as the same float32.
  let exponential = single.toExponential(8);
  for (let precision = 0; precision <= 8; precision++) {
    const candidate = single.toExponential(precision);
    if (Math.fround(Number(candidate)) === single) {
      exponential = candidate;
      break;
    }
  }
  const match = /^(-?)(\d)(?:\.(\d+))?e([-+]\d+)$/.exec(exponential);
  if (!match) return String(single);
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = (lead + rest).replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  // %e when the exponent is below -4 or at least the shortest-format precision, 6.
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** Go's `strconv.ParseInt(text, base, 64)` (base 0: the prefix decides), or undefined on a syntax or range error. */
function parseInt64(text: string, base: 0 | 2): bigint | undefined {
  const first = text.charCodeAt(0);
  const negative = first === 0x2d;
  const magnitude = parseUint64(negative || first === 0x2b ? text.slice(1) : text, base);
  if (magnitude === undefined) return undefined;
  if (negative) return magnitude > INT64_MAX + 1n ? undefined : -magnitude;
  return magnitude > INT64_MAX ? undefined : magnitude;
}

/** Go's `strconv.ParseUint(text, base, 64)` for text without underscores. */
function parseUint64(text: string, base: 0 | 2): bigint | undefined {
  if (text.length === 0) return undefined;
  let radix: number = base;
  let digits = text;
  if (base === 0) {
    radix = 10;
    if (text.charCodeAt(0) === 0x30) {
      const prefix = text.length >= 3 ? text[1]!.toLowerCase() : '';
      radix = prefix === 'b' ? 2 : prefix === 'o' ? 8 : prefix === 'x' ? 16 : 8;
      digits = prefix === 'b' || prefix === 'o' || prefix === 'x' ? text.slice(2) : text.slice(1);
      if (digits.length === 0) return 0n;
    }
  }
  if (!DIGITS[radix]!.test(digits)) return undefined;
  const value = BigInt(PREFIX[radix]! + digits);
  return value > UINT64_MAX ? undefined : value;
}

/** Go's `underscoreOK` for a float text: every underscore sits between two digits. */
function underscoresOk(text: string): boolean {
  if (!text.includes('_')) return true;
  let previous = '^';
  for (const char of text) {
    if (char >= '0' && char <= '9') previous = '0';
    else if (char === '_') {
      if (previous !== '0') return false;
      previous = '_';
    } else {
      if (previous === '_') return false;
      previous = '!';
    }
  }
  return previous !== '_';
}

/** The text a scalar stands for, as Kubernetes would read a label value or name. */
export function scalarText(value: ScalarValue): string {
  if (value === null) return '';
  return String(value);
}
