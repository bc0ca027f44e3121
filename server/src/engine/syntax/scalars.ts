/**
 * Resolution of plain (unquoted) scalars by the YAML 1.2 core schema, the schema the `yaml`
 * library uses by default, so both tree producers agree (`80` is a number, `"80"` a string).
 */
import type { ScalarValue } from './tree';

const NULL = /^(?:~|null|Null|NULL)$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

export function resolvePlain(source: string): ScalarValue {
  const first = source.charCodeAt(0);
  // Fast path: most plain scalars in manifests are words.
  const maybeSpecial =
    (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46 || first === 126 ||
    first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70;
  if (!maybeSpecial) return source;
  if (NULL.test(source)) return null;
  if (TRUE.test(source)) return true;
  if (FALSE.test(source)) return false;
  if (INT.test(source)) return parseInt(source, 10);
  if (OCT.test(source)) return parseInt(source.slice(2), 8);
  if (HEX.test(source)) return parseInt(source.slice(2), 16);
  if (FLOAT.test(source)) return parseFloat(source);
  if (INF.test(source)) return source.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(source)) return NaN;
  return source;
}

/** The text a scalar stands for, as Kubernetes would read a label value or name. */
export function scalarText(value: ScalarValue): string {
  if (value === null) return '';
  return String(value);
}
