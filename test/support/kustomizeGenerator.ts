/**
 * Writes a deterministic set of kustomize roots for the differential test against `kubectl
 * kustomize`: a base (Deployment, Service, sometimes a StatefulSet with its headless Service, an
 * Ingress, a CronJob) under one to three overlays, each with a random mix of name prefixes and
 * suffixes, namespaces, commonLabels, labels (with and without includeSelectors/includeTemplates),
 * strategic-merge patches (list merges by key, `$patch: delete`, `null`), JSON patches, inline
 * patches, patchesStrategicMerge, patchesJson6902, targets by labelSelector, and components.
 * Every root is valid for kustomize (patches only name objects that exist).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Writer {
  file(path: string, text: string): void;
}

function base(w: Writer, rand: () => number, dir: string): void {
  const sidecar = rand() < 0.5;
  const nodePort = rand() < 0.3;
  const stateful = rand() < 0.5;
  const ingress = rand() < 0.6;
  const cron = rand() < 0.3;
  const resources = ['deployment.yaml', 'service.yaml'];
  w.file(`${dir}/deployment.yaml`, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
      - name: web
        image: nginx:1
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
          protocol: TCP
${sidecar ? `      - name: proxy
        image: envoy:1
        ports:
        - containerPort: 15000
` : ''}`);
  w.file(`${dir}/service.yaml`, `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${nodePort ? '  type: NodePort\n' : ''}  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
${nodePort ? '    nodePort: 30080\n' : ''}  - name: metrics
    port: 9090
    targetPort: 9090
    protocol: TCP
`);
  if (stateful) {
    resources.push('db.yaml');
    w.file(`${dir}/db.yaml`, `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - port: 5432
    name: pg
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: pg
        image: postgres:16
        ports:
        - containerPort: 5432
          name: pg
`);
  }
  if (ingress) {
    resources.push('ingress.yaml');
    w.file(`${dir}/ingress.yaml`, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
  rules:
  - host: example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              name: http
`);
  }
  if (cron) {
    resources.push('cron.yaml');
    w.file(`${dir}/cron.yaml`, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: report
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: busybox
`);
  }
  const lines = ['resources:', ...resources.map((r) => `- ${r}`)];
  if (rand() < 0.3) lines.push('namePrefix: b-');
  if (rand() < 0.3) lines.push('commonLabels:', '  base: "yes"');
  w.file(`${dir}/kustomization.yaml`, lines.join('\n') + '\n');
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

const DEPLOYMENT_PATCHES = [
  // A container port merged by containerPort (renamed) and a new one.
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        ports:
        - containerPort: 8080
          name: web-http
        - containerPort: 8443
          name: https
`,
  // A template label changed and one deleted with null.
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        tier: back
        track: stable
`,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        tier: null
`,
  // A port deleted by key, a new container added.
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        ports:
        - containerPort: 9090
          $patch: delete
      - name: logger
        image: fluent:1
        ports:
        - containerPort: 24224
          name: forward
`,
  // The list of ports replaced.
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
  template:
    spec:
      containers:
      - name: web
        ports:
        - $patch: replace
        - containerPort: 8000
          name: http
`,
];

const SERVICE_PATCHES = [
  `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    $patch: delete
  - name: public
    port: 90
    targetPort: 8080
`,
  `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: web-http
  selector:
    track: stable
`,
  `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    exposed: "true"
spec:
  type: LoadBalancer
  ports:
  - port: 9090
    name: prom
    protocol: TCP
`,
  `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    $patch: replace
    app: web
    role: api
`,
];

const JSON_PATCHES = [
  { target: 'kind: Service\n    name: web', ops: `- op: add
  path: /spec/ports/-
  value:
    name: extra
    port: 7000
    targetPort: 7000
- op: add
  path: /metadata/labels
  value:
    patched: json
` },
  { target: 'kind: Deployment\n    name: web', ops: `- op: add
  path: /spec/template/metadata/labels/jp
  value: "on"
- op: replace
  path: /spec/template/spec/containers/0/image
  value: nginx:2
- op: add
  path: /spec/template/spec/containers/0/ports/0/name
  value: main
` },
  { target: 'kind: Service\n    labelSelector: app=web', ops: `- op: replace
  path: /spec/ports/0/targetPort
  value: 8181
` },
  { target: 'group: apps\n    kind: Deployment', ops: `[{"op": "add", "path": "/spec/selector/matchLabels/sel", "value": "j"}, {"op": "add", "path": "/spec/template/metadata/labels/sel", "value": "j"}]` },
];

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
}

function layer(w: Writer, rand: () => number, dir: string, below: string, level: number, root: string): void {
  const lines: string[] = [];
  lines.push('resources:', `- ${below}`);
  if (rand() < 0.25) {
    lines.push('- pod.yaml');
    w.file(`${dir}/pod.yaml`, `apiVersion: v1
kind: Pod
metadata:
  name: debug${level}
  labels:
    app: debug
spec:
  containers:
  - name: shell
    image: busybox
    ports:
    - containerPort: 22
`);
  }
  if (rand() < 0.4) lines.push(`namePrefix: p${level}-`);
  if (rand() < 0.3) lines.push(`nameSuffix: -s${level}`);
  if (rand() < 0.4) lines.push(`namespace: ns${level}`);
  if (rand() < 0.4) lines.push('commonLabels:', `  env${level}: v${level}`);
  if (rand() < 0.4) {
    const selectors = rand() < 0.5;
    const templates = rand() < 0.5;
    lines.push('labels:', '- pairs:', `    team${level}: t${level}`);
    if (selectors) lines.push('  includeSelectors: true');
    if (templates) lines.push('  includeTemplates: true');
  }
  const patches: string[] = [];
  const psm: string[] = [];
  const pj: string[] = [];
  if (rand() < 0.5) {
    const patch = pick(rand, DEPLOYMENT_PATCHES);
    if (rand() < 0.3) {
      patches.push(`- patch: |-\n${indent(patch, 4)}`);
    } else {
      const oldStyle = rand() < 0.3;
      w.file(`${dir}/${oldStyle ? 'psm-deploy' : 'deploy-patch'}.yaml`, patch);
      if (oldStyle) psm.push('- psm-deploy.yaml');
      else patches.push('- path: deploy-patch.yaml');
    }
  }
  if (rand() < 0.5) {
    const patch = pick(rand, SERVICE_PATCHES);
    w.file(`${dir}/service-patch.yaml`, patch);
    if (rand() < 0.3) patches.push('- path: service-patch.yaml\n  target:\n    kind: Service\n    name: web');
    else patches.push('- path: service-patch.yaml');
  }
  if (rand() < 0.4) {
    const patch = pick(rand, JSON_PATCHES);
    if (rand() < 0.3) {
      w.file(`${dir}/json6902.yaml`, patch.ops);
      // patchesJson6902 requires a target name.
      const target = /name: /.test(patch.target) ? patch.target : `${patch.target.replace(/\n {4}labelSelector: .*/, '')}\n    name: web`;
      pj.push(`- path: json6902.yaml\n  target:\n    ${target}`);
    } else if (rand() < 0.5) {
      patches.push(`- target:\n    ${patch.target}\n  patch: |-\n${indent(patch.ops, 4)}`);
    } else {
      w.file(`${dir}/json-patch.yaml`, patch.ops);
      patches.push(`- path: json-patch.yaml\n  target:\n    ${patch.target}`);
    }
  }
  if (patches.length) lines.push('patches:', ...patches);
  if (psm.length) lines.push('patchesStrategicMerge:', ...psm);
  if (pj.length) lines.push('patchesJson6902:', ...pj);
  if (rand() < 0.3) {
    const component = `${root}/components/c${level}`;
    mkdirSync(component, { recursive: true });
    const body = rand() < 0.5
      ? `commonLabels:\n  comp${level}: "on"\n`
      : `patches:\n- patch: |-\n${indent(pick(rand, SERVICE_PATCHES), 4)}\n`;
    w.file(`${component}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${body}`);
    lines.push('components:', `- ../components/c${level}`);
  }
  if (rand() < 0.2) lines.push('replicas:', '- name: web', `  count: ${level + 2}`);
  w.file(`${dir}/kustomization.yaml`, lines.join('\n') + '\n');
}

/** Writes `count` roots under `into` and returns the root folders (absolute paths). */
export function generateRoots(into: string, count: number, seed = 20240501): string[] {
  const roots: string[] = [];
  const w: Writer = {
    file(path, text) {
      mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
      writeFileSync(path, text);
    },
  };
  for (let index = 0; index < count; index++) {
    const rand = random(seed + index * 7919);
    const root = join(into, `root-${String(index).padStart(3, '0')}`);
    base(w, rand, `${root}/base`);
    const levels = 1 + Math.floor(rand() * 3);
    let below = '../base';
    let top = `${root}/base`;
    for (let level = 1; level <= levels; level++) {
      top = `${root}/l${level}`;
      layer(w, rand, top, below, level, root);
      below = `../l${level}`;
    }
    roots.push(top);
  }
  return roots;
}
