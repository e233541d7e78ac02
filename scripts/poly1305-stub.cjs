// Stands in for ssh2's Poly1305 WebAssembly module in the breakglassd bundle.
// breakglassd does not offer chacha20-poly1305 (src/sshd/algorithms.ts), the only
// user of Poly1305, yet ssh2 instantiates the module when it loads (~4 MiB resident).
// ssh2's crypto init awaits this factory; if a build ever offered chacha20 again, the
// first packet would fail loudly here instead of being silently mis-authenticated.
'use strict';
module.exports = () =>
  Promise.resolve({
    _malloc: () => 0,
    HEAPU8: new Uint8Array(0),
    cwrap: () => () => {
      throw new Error('chacha20-poly1305 is not offered by breakglassd (scripts/poly1305-stub.cjs)');
    },
  });
