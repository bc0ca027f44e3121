/**
 * Which files are manifests to read, for the CLI's walk and the server's walk, watchers and
 * documents alike (the server's glob is `MANIFEST_GLOB` in protocol/settings.ts).
 */

const MANIFEST_EXTENSION = /\.(ya?ml|json)$/i;
/** A kustomization named `Kustomization`, kustomize's third file name (beside `kustomization.yaml` and `.yml`), as a name, path or URI. */
const KUSTOMIZATION_NAME = /(^|[/\\])Kustomization$/;

/** Whether a file name, path or URI names a manifest: `*.yaml`, `*.yml`, `*.json` (any letter case), or a kustomization named `Kustomization`. */
export function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSION.test(name) || KUSTOMIZATION_NAME.test(name);
}
