// Public surface of the laptop client (the web UI client it uses is src/webui/).
export { runClient } from './run.js';
export type { ClientOptions } from './run.js';
export { runClientThenStop } from './stop-after.js';
export { checkFleet, parsePortFlag, splitHostArgs } from './fleet-hosts.js';
export type { FleetHost } from './fleet-hosts.js';
export { readHostsFile, runFleetMain } from './fleet-main.js';
export type { FleetMainOptions } from './fleet-main.js';
