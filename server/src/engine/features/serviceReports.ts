/** Every Service of the snapshot with its links, for the CLI's JSON and text output. */
import type { Snapshot } from '../analysis/snapshot';
import { compareObjects } from '../analysis/order';
import { serviceReport } from '../analysis/report';
import type { ServiceReport } from '../reports';

export function serviceReports(snapshot: Snapshot): ServiceReport[] {
  const out: ServiceReport[] = [];
  for (const scope of snapshot.scopes) {
    const services = [...scope.linkIndex.services()].sort(compareObjects);
    for (const service of services) out.push(serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain));
  }
  return out;
}
