/**
 * Custom server → client notification: a workspace scan started or finished, so the extension can
 * show "indexing" in its status bar item. Other clients may ignore it. Imports nothing.
 */

export const INDEXING_NOTIFICATION = 'serviceLens/indexing';

export interface IndexingParams {
  /** `started` once per scan before the first file is read; `finished` once after its diagnostics are published. */
  readonly state: 'started' | 'finished';
  /** Number of workspace folders being scanned. */
  readonly folders: number;
  /** Manifest files scanned (with `finished`). */
  readonly files?: number;
}

export function isIndexingParams(value: unknown): value is IndexingParams {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (record['state'] === 'started' || record['state'] === 'finished') && typeof record['folders'] === 'number';
}
