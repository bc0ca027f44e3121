/**
 * The nearest miss of a selector that matches nothing: the template of the Service's namespace
 * that comes closest to it. Ranking, best first:
 * 1. most pairs satisfied, a pair its Pods carry by a known value counting more than one a
 *    controller label of any value satisfies;
 * 2. most of the pairs the Service's file writes satisfied, rather than those a kustomization added
 *    (`commonLabels`, `labels` with `includeSelectors`): a template that kustomization's labels did
 *    not reach (a custom resource's) but that has the Service's own pairs is what the user meant;
 * 3. most selector keys present;
 * 4. the closest value (edit distance) for the first pair it does not satisfy;
 * 5. file order.
 *
 * The answer depends on the namespace's templates and the selector alone, so it is kept per
 * distinct selector until a template of the namespace changes (`LinkIndex.memo`): identical
 * Services cost one search. A search visits only the templates that share a pair with the
 * selector when there are any (every one of them outranks a template that satisfies nothing);
 * else, for a one-pair selector, the distinct values of its key (scanned by the first few
 * searches, then through an index of their one-deletion variants that finds every value within
 * distance 1 without a scan); else the templates that carry one of its keys.
 */
import { podLabel, type LinkIndex } from '../index/linkIndex';
import type { LabelPair, PodTemplate } from '../model/objects';
import { editDistance } from './editDistance';
import type { NearestMiss } from './link';
import { compareObjects } from './order';
import { labelValuesText } from '../kinds/kind';
import { isKustomizationFile } from '../kustomize';

/** A nearest miss independent of which Service asks: the pair is the selector's `pairIndex`-th. */
interface Ranked {
  readonly template: PodTemplate;
  readonly satisfied: number;
  readonly pairIndex: number;
}

const SEP = '\u0000';
/** Editors compare at most this many characters of a label value (see editDistance). */
const COMPARED = 128;
/** Values of a controller label (a StatefulSet's Pod names) compared with a wanted value. */
const CONTROLLER_VALUES = 64;

/** The nearest miss of `selector` among the templates of `namespace`, or undefined when no template carries one of its keys. */
export function findNearestMiss(namespace: string, selector: readonly LabelPair[], index: LinkIndex): NearestMiss | undefined {
  const key = 'nearest' + SEP + selector.map((pair) => pair.key + SEP + pair.value + SEP + (addedByKustomization(pair) ? '+' : '')).join(SEP);
  const ranked = index.memo(namespace, key, () => search(namespace, selector, index));
  if (!ranked) return undefined;
  const pair = selector[ranked.pairIndex]!;
  return { template: ranked.template, satisfied: ranked.satisfied, pair, actual: labelText(ranked.template, pair.key) };
}

function search(namespace: string, selector: readonly LabelPair[], index: LinkIndex): Ranked | undefined {
  const sharing = new Set<PodTemplate>();
  for (const pair of selector) {
    for (const template of index.templatesWithKnownPair(namespace, pair.key, pair.value)) sharing.add(template);
    for (const template of index.templatesWithAnyValue(namespace, pair.key)) sharing.add(template);
  }
  const partly = sharing.size > 0 ? rank(selector, sharing) : undefined;
  if (partly) return partly;
  if (selector.length === 1) return closestValue(namespace, selector[0]!, index);
  return rank(
    selector,
    index.templatesWithAnyKey(
      namespace,
      selector.map((pair) => pair.key),
    ),
  );
}

/** Whether a selector pair is one a kustomization added to a built Service (its span is in the kustomization file). */
function addedByKustomization(pair: LabelPair): boolean {
  return pair.span.fileId !== undefined && isKustomizationFile(pair.span.fileId);
}

/** Ranks candidates by the order above. */
function rank(selector: readonly LabelPair[], candidates: Iterable<PodTemplate>): Ranked | undefined {
  let bestTemplate: PodTemplate | undefined;
  let bestFirst = -1;
  let bestSatisfied = -1;
  let bestScore = -1;
  let bestWritten = -1;
  let bestKeys = -1;
  let bestDistance: number | undefined;
  const added = selector.map(addedByKustomization);
  for (const template of candidates) {
    let satisfied = 0;
    let score = 0;
    let written = 0;
    let keysPresent = 0;
    let first = -1;
    for (const [position, pair] of selector.entries()) {
      const actual = podLabel(template, pair.key);
      if (actual !== undefined) keysPresent++;
      if (actual === 'any') {
        satisfied++;
        score += 1;
        if (!added[position]) written++;
      } else if (actual !== undefined && (typeof actual === 'string' ? actual === pair.value : actual.includes(pair.value))) {
        satisfied++;
        score += 2;
        if (!added[position]) written++;
      } else if (first < 0) {
        first = position;
      }
    }
    if (first < 0) continue;
    if (score < bestScore || (score === bestScore && (written < bestWritten || (written === bestWritten && keysPresent < bestKeys)))) continue;
    if (score > bestScore || written > bestWritten || keysPresent > bestKeys) {
      bestTemplate = template;
      bestFirst = first;
      bestSatisfied = satisfied;
      bestScore = score;
      bestWritten = written;
      bestKeys = keysPresent;
      bestDistance = undefined;
      continue;
    }
    // A tie on pairs and keys: the closer differing value wins, then file order. The distance is
    // computed only up to the best one so far.
    const best = selector[bestFirst]!;
    const wanted = selector[first]!;
    const limit = (bestDistance ??= labelDistance(bestTemplate!, best.key, best.value, Number.MAX_SAFE_INTEGER));
    const distance = labelDistance(template, wanted.key, wanted.value, limit);
    if (distance < limit || (distance === limit && compareObjects(template, bestTemplate!) < 0)) {
      bestTemplate = template;
      bestFirst = first;
      bestDistance = distance;
    }
  }
  return bestTemplate ? { template: bestTemplate, satisfied: bestSatisfied, pairIndex: bestFirst } : undefined;
}

/** The values of one key in a namespace, with the templates carrying each and, once asked often, their one-deletion variants. */
interface KeyValues {
  readonly templates: ReadonlyMap<string, readonly PodTemplate[]>;
  /** Searches made in these values so far. */
  searches: number;
  /**
   * The hash of a value's first 128 characters, and of each string one deletion away from it → the
   * values (one, or a list). Hashes rather than the strings themselves: a value of n characters has
   * n + 1 variants, and a namespace's index of them is the largest thing the memo keeps. Two values
   * may share a hash; every candidate is compared with `editDistance`. Built at the search after
   * `SCANNED_SEARCHES` (`variantsOf`).
   */
  variants?: ReadonlyMap<number, string | readonly string[]>;
}

/**
 * Searches in one key's values that scan them all before the variants index is built. The scan
 * finds the same values as the index (every value at the least distance); the index pays for
 * itself only when many selectors of one namespace miss by one character, and building it costs
 * about a hundred scans.
 */
const SCANNED_SEARCHES = 8;

/**
 * A one-pair selector that no template satisfies: every candidate carries the key with another
 * value, so the closest value decides, then file order.
 */
function closestValue(namespace: string, pair: LabelPair, index: LinkIndex): Ranked | undefined {
  const values = index.memo(namespace, 'values' + SEP + pair.key, () => keyValues(index.templatesWithAnyKey(namespace, [pair.key]), pair.key));
  if (values.templates.size === 0) return undefined;
  const wanted = pair.value.slice(0, COMPARED);
  let best: string[] = [];
  let bestDistance = 2;
  // Within distance 1, two strings share a one-deletion variant (or one is a variant of the other).
  const variants = ++values.searches > SCANNED_SEARCHES ? (values.variants ??= variantsOf(values.templates.keys())) : undefined;
  for (const variant of variants ? deletionVariants(wanted) : []) {
    const found = variants!.get(variant);
    for (const value of found === undefined ? [] : typeof found === 'string' ? [found] : found) {
      const distance = editDistance(value, wanted, 1);
      if (distance > 1) continue;
      if (distance < bestDistance) [best, bestDistance] = [[], distance];
      if (distance === bestDistance && !best.includes(value)) best.push(value);
    }
  }
  if (best.length === 0) {
    let limit = Number.MAX_SAFE_INTEGER;
    for (const value of values.templates.keys()) {
      const distance = editDistance(value, wanted, limit);
      if (distance > limit) continue;
      if (distance < limit) [best, limit] = [[], distance];
      best.push(value);
    }
  }
  let template: PodTemplate | undefined;
  for (const value of best) {
    for (const candidate of values.templates.get(value) ?? []) if (!template || compareObjects(candidate, template) < 0) template = candidate;
  }
  return template && { template, satisfied: 0, pairIndex: 0 };
}

function keyValues(templates: Iterable<PodTemplate>, key: string): KeyValues {
  const byValue = new Map<string, PodTemplate[]>();
  for (const template of templates) {
    const value = podLabel(template, key);
    if (value === undefined || value === 'any') continue;
    for (const one of typeof value === 'string' ? [value] : value.slice(0, CONTROLLER_VALUES)) {
      const compared = one.slice(0, COMPARED);
      let list = byValue.get(compared);
      if (!list) byValue.set(compared, (list = []));
      if (!list.includes(template)) list.push(template);
    }
  }
  return { templates: byValue, searches: 0 };
}

/** The variants index of some values (`KeyValues.variants`). */
function variantsOf(values: Iterable<string>): ReadonlyMap<number, string | readonly string[]> {
  const variants = new Map<number, string | string[]>();
  for (const value of values) {
    for (const variant of deletionVariants(value)) {
      const known = variants.get(variant);
      if (known === undefined) variants.set(variant, value);
      else if (typeof known === 'string') {
        if (known !== value) variants.set(variant, [known, value]);
      } else if (known[known.length - 1] !== value) known.push(value);
    }
  }
  return variants;
}

/** Multiplier of the polynomial string hash of `deletionVariants`. */
const HASH_BASE = 0x01000193;

/**
 * The hashes of the string itself and of every string one character shorter made from it, without
 * making those strings. The hash of c₀…cₙ₋₁ is Σ cᵢ·Bⁿ⁻¹⁻ⁱ (32-bit); with the hashes of each prefix
 * and suffix, dropping the character at p gives prefix(p)·Bⁿ⁻¹⁻ᵖ + suffix(p + 1).
 */
function deletionVariants(value: string): Set<number> {
  const length = value.length;
  const prefix = new Int32Array(length + 1);
  const suffix = new Int32Array(length + 1);
  const power = new Int32Array(length + 1);
  power[0] = 1;
  for (let index = 0; index < length; index++) {
    prefix[index + 1] = (Math.imul(prefix[index]!, HASH_BASE) + value.charCodeAt(index)) | 0;
    power[index + 1] = Math.imul(power[index]!, HASH_BASE);
  }
  for (let index = length - 1; index >= 0; index--) {
    suffix[index] = (Math.imul(value.charCodeAt(index), power[length - 1 - index]!) + suffix[index + 1]!) | 0;
  }
  const out = new Set<number>([prefix[length]!]);
  for (let position = 0; position < length; position++) {
    out.add((Math.imul(prefix[position]!, power[length - 1 - position]!) + suffix[position + 1]!) | 0);
  }
  return out;
}

/** A template's Pod label value for a key as text: its own value, or its controller's values (`web-0|web-1|web-2`, `web-0|…|web-9`). */
function labelText(template: PodTemplate, key: string): string | undefined {
  const value = podLabel(template, key);
  return value === undefined || typeof value === 'string' ? value : labelValuesText(value);
}

/** The edit distance from `wanted` to the closest value a template's Pods carry for `key` (of the first 64 controller values). */
function labelDistance(template: PodTemplate, key: string, wanted: string, limit: number): number {
  const value = podLabel(template, key);
  if (value === undefined || value === 'any') return Number.MAX_SAFE_INTEGER;
  if (typeof value === 'string') return editDistance(value, wanted, limit);
  let best = limit + 1;
  for (const candidate of value.slice(0, CONTROLLER_VALUES)) best = Math.min(best, editDistance(candidate, wanted, Math.min(best, limit)));
  return best;
}
