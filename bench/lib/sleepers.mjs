// Helper process: starts N `sleep` children in this process's own group (the bench
// spawns it detached, so killing the group ends all of them), prints "ready", and
// exits by itself after a bound even if nobody kills it.
// Usage: node sleepers.mjs N SECONDS
import { spawn } from 'node:child_process';

const count = Math.min(Number(process.argv[2] ?? 1000), 5000);
const seconds = Math.min(Number(process.argv[3] ?? 600), 3600);
const children = [];
for (let i = 0; i < count; i++) {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  child.on('error', (error) => {
    process.stderr.write(`sleepers: ${error.message}\n`);
    process.exit(1);
  });
  children.push(child);
}
await Promise.all(children.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
process.stdout.write(`ready ${count}\n`);
const end = () => {
  for (const child of children) child.kill('SIGKILL');
  process.exit(0);
};
setTimeout(end, seconds * 1000).unref();
process.on('SIGTERM', end);
process.on('SIGINT', end);
setInterval(() => undefined, 60_000);
