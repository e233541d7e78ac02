// Types for the two ssh2 modules imported directly (not through ssh2's index, which
// also loads the client-side agent code that esbuild cannot bundle as ESM: it reads
// __dirname at load time). The shapes are the ones @types/ssh2 gives the index.
declare module 'ssh2/lib/server.js' {
  import type { Server } from 'ssh2';
  const ServerClass: typeof Server;
  export default ServerClass;
}

declare module 'ssh2/lib/protocol/keyParser.js' {
  import type { ParsedKey } from 'ssh2';
  export function parseKey(data: Buffer | string | ParsedKey, passphrase?: Buffer | string): ParsedKey | ParsedKey[] | Error;
}
