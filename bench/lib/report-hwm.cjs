// Preloaded with `node --require` by the bench: prints the process's peak RSS (VmHWM,
// kB) to stderr at exit, so a short-lived command's memory can be read without time(1).
const { readFileSync, writeSync } = require('node:fs');

process.on('exit', () => {
  const match = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  if (match) writeSync(2, `bench-hwm ${match[1]}\n`);
});
