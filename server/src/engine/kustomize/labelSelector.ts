/**
 * Label selectors in their string form, as a patch `target.labelSelector` takes them
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors):
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas.
 */

export interface Requirement {
  readonly key: string;
  readonly operator: 'in' | 'notin' | 'exists' | 'doesnotexist';
  readonly values: readonly string[];
}

/** Splits at commas outside parentheses. */
function parts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

/** The requirements of a selector, or undefined when it is not valid. */
export function parseLabelSelector(text: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  for (const part of parts(text)) {
    let match = /^!\s*([^\s=!(),]+)$/.exec(part);
    if (match) {
      out.push({ key: match[1]!, operator: 'doesnotexist', values: [] });
      continue;
    }
    match = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part);
    if (match) {
      out.push({ key: match[1]!, operator: match[2] === '!=' ? 'notin' : 'in', values: [match[3]!] });
      continue;
    }
    match = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (match) {
      out.push({ key: match[1]!, operator: match[2] as 'in' | 'notin', values: match[3]!.split(',').map((v) => v.trim()) });
      continue;
    }
    match = /^([^\s=!(),]+)$/.exec(part);
    if (match) {
      out.push({ key: match[1]!, operator: 'exists', values: [] });
      continue;
    }
    return undefined;
  }
  return out;
}

/** Whether labels satisfy every requirement (`notin` and `!=` also match when the key is absent). */
export function matchesLabelSelector(requirements: readonly Requirement[], labels: ReadonlyMap<string, string>): boolean {
  return requirements.every((requirement) => {
    const value = labels.get(requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      case 'notin':
        return value === undefined || !requirement.values.includes(value);
    }
  });
}
