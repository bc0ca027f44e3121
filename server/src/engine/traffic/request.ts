/**
 * What a traffic preview is asked for, in engine terms (offsets, not positions). `overlay` picks the
 * kustomize build: for a file, an `OverlayChoice.id` (a kustomization file); for the workspace, a
 * kustomization file or its folder (then only the Services that build holds are shown).
 */
export type TrafficRequest =
  | { readonly scope: 'service'; readonly fileId: string; readonly offset: number; readonly overlay?: string | undefined }
  | { readonly scope: 'file'; readonly fileId: string; readonly offset: number; readonly overlay?: string | undefined }
  | { readonly scope: 'namespace'; readonly fileId: string; readonly offset: number; readonly overlay?: string | undefined }
  | { readonly scope: 'workspace'; readonly overlay?: string | undefined };
