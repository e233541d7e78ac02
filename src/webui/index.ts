// Public surface of the gokrazy web UI client: the laptop client (src/client/) and the
// shell's svc/logs built-ins both talk to an init through it. Its own folder so that the
// shell does not pull the whole laptop client (and its zod schemas) into breakglassd.
export { WebUiClient, WebUiError, describeTarget } from './client.js';
export type { WebUiTarget, ServiceStatusInfo } from './client.js';
export { initSocketClient, resolveServicePath, NoInitSocket } from './services.js';
