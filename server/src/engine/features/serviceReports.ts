/** Every Service of the snapshot with its links, for the CLI's JSON and text output. */
import type { Snapshot } from '../analysis/snapshot';
import { compareObjects } from '../analysis/order';
import { serviceReport } from '../analysis/report';
import type { ServiceReport } from '../reports';

export function serviceReports(snapshot: Snapshot): ServiceReport[] {
  const out: ServiceReport[] = [];
  for (const scope of snapshot.scopes) {
    const services = [...scope.linkIndex.services()].sort(compareObjects);
    const build = scope.options.build === undefined ? undefined : { folder: scope.options.build, label: scope.options.label };
    for (const service of services) {
      const report = serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain);
      out.push(build === undefined ? report : { ...report, build });
    }
  }
  return out;
}
