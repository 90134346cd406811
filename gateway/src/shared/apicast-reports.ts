/**
 * The `ctx.shared` flag the apicast policy sets when it will authrep in
 * post_action (a cached authorization): custom_metrics then merges its usage
 * into that call instead of sending its own. Its own module so that neither
 * policy loads the other's code.
 */
export const APICAST_REPORTS_IN_POST_ACTION = 'apicast_reports_in_post_action';
