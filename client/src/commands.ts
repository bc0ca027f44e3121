/** Command ids contributed in package.json (`contributes.commands`, category "Service Lens"). */
export const COMMANDS = {
  restartServer: 'serviceLens.restartServer',
  showOutput: 'serviceLens.showOutput',
} as const;
