/** What a traffic preview is asked for, in engine terms (offsets, not positions). */
export type TrafficRequest =
  | { readonly scope: 'service'; readonly fileId: string; readonly offset: number }
  | { readonly scope: 'file'; readonly fileId: string; readonly offset: number }
  | { readonly scope: 'namespace'; readonly fileId: string; readonly offset: number }
  | { readonly scope: 'workspace' };
