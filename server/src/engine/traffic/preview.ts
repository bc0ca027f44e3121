/** Builds traffic previews (DNS names, env vars, paths) for Services of a universe. */
import type { TrafficPreview } from '../../protocol/traffic';
import type { EngineConfig } from '../config';
import type { ServiceLink } from '../analysis/link';
import type { Universe } from '../analysis/universe';
import type { KubeObject, ServiceObject } from '../model/objects';
import type { FileSpan } from '../types';
import type { TrafficRequest } from './request';

export interface TrafficContext {
  readonly universe: Universe;
  readonly config: EngineConfig;
  link(service: ServiceObject): ServiceLink;
  objectsOf(fileId: string): readonly KubeObject[];
}

export function buildTrafficPreview(request: TrafficRequest, context: TrafficContext): TrafficPreview<FileSpan> | undefined {
  void request;
  void context;
  return undefined;
}
