// ssh2 writes every outgoing SSH packet to the socket in pieces (for AES-GCM: length,
// ciphertext, tag), each a write(2) of its own: ~3 system calls per 32 KiB packet, a
// sixth of the server's CPU in an SFTP download. Corking the socket at the first write
// of a tick and uncorking it on process.nextTick (Node's documented pattern) hands the
// kernel everything one tick produced in a single writev(2): the same bytes, in order,
// sent before the event loop moves on.
import type { Socket } from 'node:net';

export function batchWrites(socket: Socket): void {
  const write = socket.write;
  const uncork = (): void => {
    if (!socket.destroyed) socket.uncork();
  };
  socket.write = function batchedWrite(this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (socket.writableCorked === 0 && !socket.destroyed) {
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
