// Public surface of src/proc: pure parsers of /proc and /sys text, and readers over an
// injected root (CONVENTIONS.md §2).
export * from './pid-stat.js';
export * from './status.js';
export * from './meminfo.js';
export * from './uptime.js';
export * from './mountinfo.js';
export * from './kmsg.js';
export * from './tty.js';
export * from './passwd.js';
export * from './sysctl.js';
export * from './read.js';
export * from './processes.js';
export * from './system.js';
export * from './format.js';
export * from './ps-format.js';
// Network: parsers of /proc/net (sockets, routes, links, addresses) and their readers.
export * from './net-addr.js';
export * from './net-links.js';
export * from './net-read.js';
export * from './net-route.js';
export * from './net-select.js';
export * from './net-services.js';
export * from './net-sockets.js';
