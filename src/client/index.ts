// Public surface of the laptop client (and the web UI client the shell's svc/logs reuse).
export { WebUiClient, WebUiError, describeTarget } from './webui.js';
export type { WebUiTarget, ServiceStatusInfo } from './webui.js';
export { initSocketClient, resolveServicePath, NoInitSocket } from './services.js';
export { runClient } from './run.js';
export type { ClientOptions } from './run.js';
export { runClientThenStop } from './stop-after.js';
export { checkFleet, parsePortFlag, splitHostArgs } from './fleet-hosts.js';
export type { FleetHost } from './fleet-hosts.js';
export { readHostsFile, runFleetMain } from './fleet-main.js';
export type { FleetMainOptions } from './fleet-main.js';
