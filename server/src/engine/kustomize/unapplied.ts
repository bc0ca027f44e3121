/**
 * What a kustomization field the builder does not apply means for the analysis of the build
 * (`Kustomization.unsupported`). Each field is weighed by what kustomize can do with it
 * (kubectl.docs.kubernetes.io/references/kustomize/kustomization/):
 * - `configMapGenerator`, `secretGenerator`: make ConfigMaps and Secrets only (and rename the
 *   references to them), which no rule reads: `none`.
 * - `validators`: check the build and may stop it; they never change it: `none`.
 * - `replacements`: copy a value into the target fields they name. When no target field is one the
 *   rules read (an image tag, an env value, a ConfigMap key), `none`; otherwise `uncertain`: the
 *   build's objects may differ from what is analysed in fields the findings rest on.
 * - `transformers`: plugins that may change any field of any object: `uncertain`.
 * - `openapi`, `crds`: schemas that give custom kinds merge keys, so a strategic-merge patch of a
 *   custom resource merges its lists where the builder replaces them: `uncertain`.
 * - `generators`, `helmCharts`, `helmChartInflationGenerator`, `helmGlobals`, `vars`,
 *   `configurations`: add objects or change how objects of some kinds are built (`vars`
 *   substitute `$(NAME)`; `configurations` name the fields of custom kinds): `partial`, so a
 *   missing object may be in the part not reproduced.
 * A field that holds nothing (`transformers: []`) is `none`.
 */
import { DOCUMENT_SCHEMA, isReadKind } from '../kinds/registry';
import type { Schema } from '../syntax/schema';
import type { ReplacementEntry, UnsupportedField } from './kustomization';

/** `none`: nothing analysed changes; `partial`: objects may be missing; `uncertain`: fields read may differ. */
export type UnappliedEffect = 'none' | 'partial' | 'uncertain';

export interface UnappliedWeight {
  readonly effect: UnappliedEffect;
  /** For `uncertain`: what is changed, as a phrase (`replacements set spec.ports.0.targetPort of Service web`). */
  readonly changes?: string;
}

const NO_EFFECT: ReadonlySet<string> = new Set(['configMapGenerator', 'secretGenerator', 'validators']);

/** What an unapplied field means for the build; `replacements` are its `replacements` entries. */
export function weighUnapplied(field: UnsupportedField, replacements: readonly ReplacementEntry[]): UnappliedWeight {
  if (field.empty || NO_EFFECT.has(field.value)) return { effect: 'none' };
  if (field.value === 'transformers') return { effect: 'uncertain', changes: 'transformers may change any field' };
  // A schema for custom kinds gives their lists merge keys, which the strategic merge here does not
  // know: a patch of a custom resource may merge where it is taken to replace.
  if (field.value === 'openapi' || field.value === 'crds') return { effect: 'uncertain', changes: `${field.value} gives custom kinds merge keys that strategic-merge patches here do not use` };
  if (field.value === 'replacements') {
    const changed = replacedReadField(replacements);
    return changed === undefined ? { effect: 'none' } : { effect: 'uncertain', changes: `replacements set ${changed}` };
  }
  return { effect: 'partial' };
}

/**
 * The first target field of `replacements` that a rule may read, as `spec.ports.0.targetPort of
 * Service web` (`the fields of a file of replacements` for an entry that names one); undefined when
 * every target is a field no rule reads or an object of a kind that is not read.
 */
export function replacedReadField(replacements: readonly ReplacementEntry[]): string | undefined {
  for (const entry of replacements) {
    if (entry.path !== undefined) return `the fields the replacements of ${entry.path} name`;
    for (const target of entry.targets) {
      if (target.kind !== undefined && !isReadKind(target.kind)) continue;
      const object = target.kind === undefined ? 'every object it selects' : `${target.kind}${target.name === undefined ? 's' : ` ${target.name}`}`;
      for (const path of target.fieldPaths) if (isReadPath(path)) return `${path} of ${object}`;
    }
  }
  return undefined;
}

/**
 * Whether a replacement's field path (`spec.ports.0.targetPort`, `spec.template.spec.containers.[name=app].ports`,
 * `metadata.name`) reaches a field the reader keeps (DOCUMENT_SCHEMA) or one of its ancestors: a
 * segment that is a number, `*`, `-` or a `[key=value]` selects items of a list; any other is a key.
 */
export function isReadPath(path: string): boolean {
  let schema: Schema | undefined = DOCUMENT_SCHEMA;
  for (const segment of splitFieldPath(path)) {
    if (schema === undefined) return false;
    if (schema.any) return true;
    schema = /^(\d+|\*|-|\[.*\])$/.test(segment) ? schema.items : schema.keys?.[segment];
  }
  return schema !== undefined;
}

/** A field path's segments: split at dots outside brackets (`[name=a.b]` is one segment). */
function splitFieldPath(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of path) {
    if (character === '[') depth++;
    else if (character === ']') depth = Math.max(0, depth - 1);
    if (character === '.' && depth === 0) {
      segments.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  segments.push(current);
  return segments;
}
