/** Contributed in package.json: the command (also linked from Service hovers) and the panel's view type. */
export const SHOW_TRAFFIC_PREVIEW = 'serviceLens.showTrafficPreview';
export const TRAFFIC_PREVIEW_VIEW_TYPE = 'serviceLens.trafficPreview';
