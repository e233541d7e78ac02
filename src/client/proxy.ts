// --proxy: breakglass as an ssh ProxyCommand. After the web UI start it connects stdin
// and stdout to the SSH port, so `ssh -o ProxyCommand='breakglass --proxy %h' dev`
// starts the server on demand and then talks to it.
import { connect } from 'node:net';
import { BreakglassError } from '../common/index.js';

export function proxyStdio(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      process.stdin.pipe(socket);
      socket.pipe(process.stdout);
    });
    // ssh closing our stdin means the session is over: half-close towards the server.
    process.stdin.once('end', () => socket.end());
    socket.once('error', (err) => {
      if (!connected) reject(new BreakglassError(`cannot connect to ${host}:${port}: ${err.message}`, { host, port }, { cause: err }));
      else resolve(1);
    });
    socket.once('close', () => {
      process.stdin.unpipe(socket);
      process.stdin.pause();
      resolve(0);
    });
  });
}
