/**
 * Writes deterministic kustomize roots whose only patch merges port lists: a Service's `ports` and a
 * container's `ports`, each element with or without a name, a protocol (TCP, UDP, SCTP), a port
 * number (rarely none) and a `$patch: delete`. kustomize merges these lists on two keys (`port` or
 * `containerPort`, and `protocol`) by kyaml's own steps (kustomize/strategicMerge.ts), whose results
 * are hard to foresee; the differential test builds each root with the builder and with `kubectl
 * kustomize` and compares every port.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A seeded generator of numbers in [0, 1) (a linear congruential generator: fixed output per seed). */
function random(seed: number): () => number {
  let state = seed & 0x7fffffff;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function portLines(rand: () => number, kind: 'service' | 'container', mayDelete: boolean): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const number = pick([80, 80, 53, 443, 0]);
  const protocol = pick(['', '', 'TCP', 'TCP', 'UDP', 'SCTP']);
  const name = pick(['', 'a', 'b', 'http']);
  const lines: string[] = [];
  if (name) lines.push(`name: ${name}`);
  if (number) lines.push(kind === 'service' ? `port: ${number}` : `containerPort: ${number}`);
  else if (!name) lines.push('name: z');
  if (protocol) lines.push(`protocol: ${protocol}`);
  if (kind === 'service' && rand() < 0.7) lines.push(`targetPort: ${pick(['8080', '8081', 'http'])}`);
  if (mayDelete && rand() < 0.1) lines.push('$patch: delete');
  return lines.map((line, index) => (index === 0 ? `- ${line}` : `  ${line}`));
}

function portList(rand: () => number, kind: 'service' | 'container', count: number, mayDelete: boolean, indent: string): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) lines.push(...portLines(rand, kind, mayDelete));
  return lines.map((line) => `${indent}${line}`).join('\n');
}

/** Writes `count` roots under `into` (folders `ports-0`, `ports-1`, …) and returns their paths. */
export function generatePortMergeRoots(into: string, count: number, seed = 20261202): string[] {
  const rand = random(seed);
  const roots: string[] = [];
  for (let index = 0; index < count; index++) {
    const dir = join(into, `ports-${index}`);
    mkdirSync(dir, { recursive: true });
    const inBase = 1 + Math.floor(rand() * 3);
    const inPatch = 1 + Math.floor(rand() * 3);
    writeFileSync(
      join(dir, 'base.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n${portList(rand, 'service', inBase, false, '  ')}\n---\n` +
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: web\n        ports:\n${portList(rand, 'container', inBase, false, '        ')}\n`,
    );
    writeFileSync(
      join(dir, 'patch.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n${portList(rand, 'service', inPatch, true, '  ')}\n---\n` +
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        ports:\n${portList(rand, 'container', inPatch, true, '        ')}\n`,
    );
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- base.yaml\npatches:\n- path: patch.yaml\n');
    roots.push(dir);
  }
  return roots;
}
