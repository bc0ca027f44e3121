/**
 * Workspaces of shapes where cost once grew faster than the workspace (the benchmark's
 * `--shape duplicates` and `--shape onefile`, and the hostile and race tests):
 * - `duplicates`: N identical files, each a Service whose selector (`app: webb`) matches nothing
 *   beside a Deployment (`app: web`);
 * - `onefile`: N Service/Deployment pairs in one file `all.yaml`; the Service of every tenth pair
 *   (0, 10, 20, …) selects `app: svc-<i>x`, one character off its Deployment's `app: svc-<i>`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type WorkspaceShape = 'duplicates' | 'onefile';

/** A Service `name` selecting `app: <app>` (written as given: quote it to keep it a string), port 80 to `targetPort`. */
export function serviceManifest(name: string, app: string, targetPort: number | string = 8080): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${app}
  ports:
    - port: 80
      targetPort: ${targetPort}
`;
}

/** A Deployment `name` whose Pods carry `app: <app>` (written as given), one container exposing `containerPort`. */
export function deploymentManifest(name: string, app: string, containerPort = 8080): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: ${name}
          image: registry.example/${name}:1.0
          ports:
            - containerPort: ${containerPort}
`;
}

/** A Service selecting `app: wanted` and a Deployment whose Pods carry `app: actual`, one file's text. */
export function pair(name: string, wanted: string, actual: string): string {
  return `${serviceManifest(name, wanted)}---\n${deploymentManifest(name, actual)}`;
}

/** Writes the shape's workspace with `count` Services into `root`. */
export function writeShape(shape: WorkspaceShape, count: number, root: string): void {
  fs.mkdirSync(root, { recursive: true });
  if (shape === 'duplicates') {
    const text = pair('web', 'webb', 'web');
    const width = String(count - 1).length;
    for (let index = 0; index < count; index++) fs.writeFileSync(path.join(root, `web-${String(index).padStart(width, '0')}.yaml`), text);
    return;
  }
  const parts: string[] = [];
  for (let index = 0; index < count; index++) parts.push(pair(`svc-${index}`, index % 10 === 0 ? `svc-${index}x` : `svc-${index}`, `svc-${index}`));
  fs.writeFileSync(path.join(root, 'all.yaml'), parts.join('---\n'));
}

