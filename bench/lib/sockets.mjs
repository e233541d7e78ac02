// Helper process: opens PAIRS connected TCP pairs on 127.0.0.1 (2 × PAIRS sockets plus
// one listener), prints "ready", holds them, and exits by itself after a bound.
// Usage: node sockets.mjs PAIRS SECONDS
import { createServer, connect } from 'node:net';

const pairs = Math.min(Number(process.argv[2] ?? 1000), 5000);
const seconds = Math.min(Number(process.argv[3] ?? 600), 3600);
const accepted = [];
const server = createServer((socket) => accepted.push(socket));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const clients = [];
for (let i = 0; i < pairs; i++) {
  clients.push(await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  }));
}
const deadline = Date.now() + 10_000;
while (accepted.length < pairs && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
process.stdout.write(`ready ${clients.length} ${accepted.length} port ${port}\n`);
setTimeout(() => process.exit(0), seconds * 1000).unref();
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 60_000);
