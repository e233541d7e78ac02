// Public surface of src/sshd: the daemon and its command line (breakglassd's entry uses these).
export { helpText, parseCommandLine } from './config.js';
export { startDaemon } from './daemon.js';
