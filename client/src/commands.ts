/** Command ids contributed in package.json (`contributes.commands`, category "Service Lens"). */
export const COMMANDS = {
  restartServer: 'serviceLens.restartServer',
  showOutput: 'serviceLens.showOutput',
  /** Opens a rule's bundled page; the target of every diagnostic's rule link. */
  showRuleDoc: 'serviceLens.showRuleDoc',
} as const;
