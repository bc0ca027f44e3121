/** A total order on objects of a universe: by file, then position in the file. Ties never depend on insertion order. */
export interface Ordered {
  readonly fileId: string;
  readonly order: number;
}

export function compareObjects(left: Ordered, right: Ordered): number {
  if (left.fileId !== right.fileId) return left.fileId < right.fileId ? -1 : 1;
  return left.order - right.order;
}
