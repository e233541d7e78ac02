// Preloaded with `node --require` by the bench: at exit, prints the process's peak RSS
// (VmHWM, kB) and its CPU time (µs) to stderr, so a short-lived command's cost can be
// read without time(1), and CPU time stays meaningful on a busy machine.
const { readFileSync, writeSync } = require('node:fs');

process.on('exit', () => {
  const match = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  const cpu = process.cpuUsage();
  writeSync(2, `bench-hwm ${match ? match[1] : 0}\nbench-cpu ${cpu.user + cpu.system}\n`);
});
