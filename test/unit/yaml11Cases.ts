/**
 * The YAML 1.1 scalar table kubectl reads manifests with (go-yaml v2 through sigs.k8s.io/yaml), as
 * cases shared by the reader tests and the test that checks them against kubectl itself.
 */
import type { ScalarValue } from '../../server/src/engine/syntax/tree';

/**
 * Every branch of go-yaml v2's `resolve` (resolve.go) for plain scalars, as kubectl reads them.
 * Integers beyond 2^53 compare as the nearest JavaScript number.
 */
export const RESOLVE_CASES: readonly (readonly [string, ScalarValue])[] = [
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((word) => [word, null] as const),
  ...['yEs', 'oN', 'nO', 'tRUE', 'nULL', 'nan', 'inf', 'Infinity', 'o', 'yes!', 'trueish'].map((word) => [word, word] as const),
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN], ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity], ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
  ['.iNf', '.iNf'], ['+inf', '+inf'], ['-.nan', '-.nan'],
  // Integers: base 10, 0x, 0o and 0-prefixed octal, 0b (strconv.ParseInt with base 0), underscores dropped.
  ['0', 0], ['42', 42], ['-17', -17], ['+17', 17], ['-0', 0], ['1_000', 1000], ['1__0_', 10], ['0_x1F', 31],
  ['0x1F', 31], ['0X1f', 31], ['-0x10', -16], ['+0x10', 16], ['0o17', 15], ['0O17', 15], ['017', 15], ['-017', -15], ['00', 0],
  ['0b101', 5], ['0B101', 5], ['-0b101', -5], ['0b-101', -5], ['0b+101', 5],
  ['9223372036854775807', 2 ** 63 - 1], ['-9223372036854775808', -(2 ** 63)],
  ['18446744073709551615', 2 ** 64 - 1], ['0xFFFFFFFFFFFFFFFF', 2 ** 64 - 1],
  // Out of the 64-bit range: a float when it is written like one, else a string.
  ['18446744073709551616', 2 ** 64], ['0x10000000000000000', '0x10000000000000000'], ['-9223372036854775809', -(2 ** 63) - 1],
  // Not integers, but floats by yamlStyleFloat: an invalid octal, a version number.
  ['08', 8], ['0778', 778], ['1.0', 1], ['1.10', 1.1], ['0x', '0x'], ['0xG', '0xG'], ['0b2', '0b2'], ['0o8', '0o8'], ['_1', '_1'],
  ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['-.5', -0.5], ['+1.5e3', 1500], ['1e3', 1000], ['1E-2', 0.01], ['1_000.5', 1000.5],
  ['.5_5', 0.55], ['.5e1_0', 5e9], ['._5', '._5'], ['.5_', '.5_'], ['.5_e3', '.5_e3'], ['.e5', '.e5'], ['.', '.'], ['+', '+'],
  ['1e400', '1e400'], ['.5e400', '.5e400'], ['1e-400', 0], ['1.5.5', '1.5.5'], ['1e', '1e'], ['1e+', '1e+'], ['0x1p3', '0x1p3'],
  // Timestamps decode into an interface{} as their text; base 60 is not supported.
  ['2001-12-14', '2001-12-14'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['1:20', '1:20'], ['190:20:30', '190:20:30'],
  ['web', 'web'], ['v1', 'v1'], ['8080/TCP', '8080/TCP'], ['-web', '-web'], ['80_http', '80_http'],
];

/** Plain keys as sigs.k8s.io/yaml turns go-yaml's typed keys into JSON object keys. */
export const KEY_CASES: readonly (readonly [string, string])[] = [
  ['yes', 'true'], ['Off', 'false'], ['0x10', '16'], ['017', '15'], ['1_000', '1000'], ['1.5', '1.5'], ['1.0', '1'], ['1e6', '1e+06'],
  ['0.0001', '0.0001'], ['0.00001', '1e-05'], ['123456.7', '123456.7'], ['1234567.0', '1.234567e+06'], ['3.14159265', '3.1415927'],
  ['.inf', '.inf'], ['-.Inf', '-.inf'], ['.NaN', '.nan'], ['"on"', 'on'],
];

