// Small, documented fixes to ssh2 that the build applies to the bundled copy
// (node_modules stays untouched). Each patch names the exact text it replaces; the
// build fails loudly when that text is not found exactly once, so an ssh2 upgrade
// cannot silently drop a fix. scripts/ssh2-patches.test.ts applies each patch to the
// installed ssh2 and checks the result.

/** @typedef {{ file: string, why: string, find: string, replace: string, marker: string }} Ssh2Patch `marker`: a token the patched text leaves in the minified bundle. */

/** @type {Ssh2Patch[]} */
export const SSH2_PATCHES = [
  {
    // RFC 4253 §7: a side that sets first_kex_packet_follows sends its key-exchange
    // packet before it has seen the peer's KEXINIT. The packet must be ignored only when
    // the guess was wrong, i.e. when the two sides' preferred (first) kex algorithms or
    // preferred host-key algorithms differ. ssh2 1.17 overwrites `remote.kex` (the
    // client's list) with the negotiated name on the line before its check, so
    // `remote.kex[0]` is the name's first character and every guessed packet is thrown
    // away. Dropbear's dbclient sends such a guess and, when the guess was right, waits
    // for the reply forever: it hung after the version exchange whenever breakglassd's
    // first kex algorithm (curve25519-sha256) was also dbclient's first.
    file: 'node_modules/ssh2/lib/protocol/kex.js',
    why: 'keep a correct first-kex-packet guess (dbclient hang)',
    find: [
      '  init.kex = clientList[i];',
      '  debug && debug(`Handshake: KEX algorithm: ${clientList[i]}`);',
      '  if (firstFollows && (!remote.kex.length || clientList[i] !== remote.kex[0])) {',
    ].join('\n'),
    replace: [
      '  const guessedRight = remote.kex.length > 0 && remote.kex[0] === localKex[0]',
      '    && remote.serverHostKey.length > 0',
      '    && remote.serverHostKey[0] === local.lists.serverHostKey.array[0];',
      '  init.kex = clientList[i];',
      '  debug && debug(`Handshake: KEX algorithm: ${clientList[i]}`);',
      '  if (firstFollows && !guessedRight) {',
    ].join('\n'),
    marker: 'guessedRight',
  },
  // Speed: steer clients that have AES-GCM to it. The client's order picks the cipher
  // (RFC 4253 §7.1) and OpenSSH's client lists aes128-ctr before aes128-gcm, so without
  // chacha20-poly1305 (src/sshd/algorithms.ts) it chose CTR + HMAC-SHA-256: two OpenSSL
  // calls per packet where GCM is one: downloads at 218 against 284 MB/s (BENCHMARKS.md
  // analysis 17). With `steerCiphers` set, the server waits for the client's KEXINIT
  // (RFC 4253 §7.1 lets either side send first) and, when the client offers one of
  // those ciphers in both directions, offers only them. A client without them gets the
  // whole list at once; one that waits for the server's KEXINIT before sending its own
  // gets it after STEER_WAIT_MS. Nobody is locked out. Cost: the server's KEXINIT leaves
  // about one round trip later than before (at most STEER_WAIT_MS).
  {
    file: 'node_modules/ssh2/lib/server.js',
    why: 'steerCiphers: a second, narrower offer for clients that have those ciphers',
    find: '    const offer = new KexInit(algorithms);\n',
    replace: [
      '    const offer = new KexInit(algorithms);',
      '    const steerTo = Array.isArray(cfg.steerCiphers)',
      '      ? algorithms.cs.cipher.filter((name) => cfg.steerCiphers.includes(name))',
      '      : [];',
      '    if (steerTo.length > 0 && steerTo.length < algorithms.cs.cipher.length) {',
      '      const steeredCiphers = { ...algorithms.cs, cipher: steerTo };',
      '      offer.steeredOffer = new KexInit({ ...algorithms, cs: steeredCiphers, sc: steeredCiphers });',
      '    }',
      '',
    ].join('\n'),
    marker: 'offer.steeredOffer=new KexInit',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/Protocol.js',
    why: 'steerCiphers: a server with a steered offer waits (briefly) for the client\'s KEXINIT',
    find: [
      '          // We disconnected inside _onHeader',
      '          return len;',
      '        }',
      '',
      '        kexinit(this);',
    ].join('\n'),
    replace: [
      '          // We disconnected inside _onHeader',
      '          return len;',
      '        }',
      '',
      '        if (this._server && this._offer.steeredOffer !== undefined) {',
      '          this._steerTimer = setTimeout(() => {',
      '            if (this._destruct && this._kexinit === undefined && this._kex === undefined)',
      '              kexinit(this);',
      '          }, STEER_WAIT_MS);',
      '          this._steerTimer.unref();',
      '        } else {',
      '          kexinit(this);',
      '        }',
    ].join('\n'),
    marker: 'this._steerTimer=setTimeout',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/Protocol.js',
    why: 'steerCiphers: how long the server waits for the client\'s KEXINIT',
    find: 'class Protocol {',
    replace: [
      '// steerCiphers: clients send KEXINIT right after the version lines, one round trip',
      '// after the server\'s; past this, the server sends its whole offer without waiting.',
      'const STEER_WAIT_MS = 250;',
      '',
      'class Protocol {',
    ].join('\n'),
    marker: 'STEER_WAIT_MS=250',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/kex.js',
    why: 'steerCiphers: the first KEXINIT answered with the steered offer when the client has its ciphers',
    find: '  const local = self._offer;\n  const remote = init;\n',
    replace: [
      '  if (self._server && self._kexinit === undefined && self._kex === undefined) {',
      '    clearTimeout(self._steerTimer);',
      '    const steered = self._offer.steeredOffer;',
      '    const has = (clientCiphers) => steered.lists.cs.cipher.array.some((name) => clientCiphers.includes(name));',
      '    if (steered !== undefined && has(init.cs.cipher) && has(init.sc.cipher))',
      '      self._offer = steered;',
      '    kexinit(self);',
      '  }',
      '  const local = self._offer;',
      '  const remote = init;',
      '',
    ].join('\n'),
    marker: '._offer=steered;kexinit(',
  },
  {
    // Speed, not a fix: a READ reply is read from the file straight into its DATA
    // packet (src/transfer/sftp/server.ts), and this queues such a packet in ssh2's
    // own ordered output (sendOrBuffer is module-private). Without it, data() copies
    // every byte of a download once more into a packet of its own.
    file: 'node_modules/ssh2/lib/protocol/SFTP.js',
    why: 'SFTP.sendPreformatted(packet): queue a complete packet (zero-copy DATA replies)',
    find: ['  data(reqid, data, encoding) {', '    if (!this.server)'].join('\n'),
    replace: ['  sendPreformatted(packet) {', '    sendOrBuffer(this, packet);', '  }', '  data(reqid, data, encoding) {', '    if (!this.server)'].join('\n'),
    marker: 'sendPreformatted(',
  },
  {
    // Speed, not a fix: every outgoing SSH packet fills its 4–19 padding bytes with a
    // randomFillSync of its own, a getrandom(2) (and OpenSSL's fork check, a getpid)
    // per packet: ~3 % of the server's CPU in a download. The same CSPRNG bytes now come
    // from a 16 KiB pool, each byte used once, refilled when it runs out.
    file: 'node_modules/ssh2/lib/protocol/crypto.js',
    why: 'packet padding from a pool of random bytes (one getrandom per ~1,000 packets)',
    find: ['  createCipheriv, createDecipheriv, createHmac, randomFillSync, timingSafeEqual', "} = require('crypto');"].join('\n'),
    replace: [
      '  createCipheriv, createDecipheriv, createHmac, randomFillSync: fillRandomNow, timingSafeEqual',
      "} = require('crypto');",
      'const paddingPool = Buffer.allocUnsafe(16384);',
      'let paddingPoolUsed = paddingPool.length;',
      'function randomFillSync(buf, offset, size) {',
      '  if (paddingPoolUsed + size > paddingPool.length) {',
      '    fillRandomNow(paddingPool);',
      '    paddingPoolUsed = 0;',
      '  }',
      '  paddingPool.copy(buf, offset, paddingPoolUsed, paddingPoolUsed += size);',
      '  return buf;',
      '}',
    ].join('\n'),
    marker: 'paddingPoolUsed',
  },
  // Speed, not a fix: channelData() copied every outgoing CHANNEL_DATA payload into a
  // packet buffer of its own (one 32 KiB allocation and copy per packet) before the
  // cipher copied it once more into the ciphertext. With AES-GCM and AES-CTR, both
  // stream modes, the cipher can take the packet in pieces: a 14-byte head, the caller's
  // data as it is, the padding. Same bytes on the wire (test/transfer/cipher-matrix);
  // ~1 large allocation per packet instead of 2 (BENCHMARKS.md analysis 5a). Compression,
  // a key exchange in progress, other ciphers and small payloads take the old path.
  {
    file: 'node_modules/ssh2/lib/protocol/Protocol.js',
    why: 'CHANNEL_DATA encrypted from the caller\'s buffer, without a packet copy',
    find: [
      '  channelData(chan, data) {',
      '    const isBuffer = Buffer.isBuffer(data);',
      '    const dataLen = (isBuffer ? data.length : Buffer.byteLength(data));',
    ].join('\n'),
    replace: [
      '  channelData(chan, data) {',
      '    const isBuffer = Buffer.isBuffer(data);',
      '    const dataLen = (isBuffer ? data.length : Buffer.byteLength(data));',
      '    if (isBuffer && dataLen >= 1024 && this._kexinit === undefined',
      '        && this._cipher.encryptChannelData !== undefined',
      '        && this._packetRW.write instanceof PacketWriter) {',
      '      this._debug && this._debug(`Outbound: Sending CHANNEL_DATA (r:${chan}, ${dataLen})`);',
      '      this._cipher.encryptChannelData(chan, data);',
      '      return;',
      '    }',
    ].join('\n'),
    marker: 'encryptChannelData(chan,data)',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/crypto.js',
    why: 'AES-GCM and AES-CTR encrypt a CHANNEL_DATA packet in pieces (encryptChannelData)',
    find: 'class AESGCMCipherNative {',
    replace: [
      '// The head of a CHANNEL_DATA packet (length, padding length, type, channel, data',
      '// length) and its random padding, for encryptChannelData; both small, from the pool.',
      'function channelDataParts(chan, dataLen, blockLen, aadLen) {',
      '  let pktLen = 4 + 1 + 9 + dataLen;',
      '  let padLen = blockLen - ((pktLen - aadLen) & (blockLen - 1));',
      '  if (padLen < 4)',
      '    padLen += blockLen;',
      '  pktLen += padLen;',
      '  const head = Buffer.allocUnsafe(14);',
      '  writeUInt32BE(head, pktLen - 4, 0);',
      '  head[4] = padLen;',
      '  head[5] = 94;',
      '  writeUInt32BE(head, chan, 6);',
      '  writeUInt32BE(head, dataLen, 10);',
      '  const pad = Buffer.allocUnsafe(padLen);',
      '  randomFillSync(pad, 0, padLen);',
      '  return { head, pad };',
      '}',
      'class AESGCMCipherNative {',
      '  encryptChannelData(chan, data) {',
      '    if (this._dead)',
      '      return;',
      '    const { head, pad } = channelDataParts(chan, data.length, 16, 4);',
      '    const cipher = createCipheriv(this._encSSLName, this._encKey, this._encIV);',
      '    cipher.setAutoPadding(false);',
      '    const lenData = head.subarray(0, 4);',
      '    cipher.setAAD(lenData);',
      '    this._onWrite(lenData);',
      '    this._onWrite(cipher.update(head.subarray(4)));',
      '    this._onWrite(cipher.update(data));',
      '    this._onWrite(cipher.update(pad));',
      '    const final = cipher.final();',
      '    if (final.length)',
      '      this._onWrite(final);',
      '    this._onWrite(cipher.getAuthTag());',
      '    ivIncrement(this._encIV);',
      '    this.outSeqno = (this.outSeqno + 1) >>> 0;',
      '  }',
    ].join('\n'),
    marker: 'channelDataParts(',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/crypto.js',
    why: 'AES-CTR with either MAC order encrypts a CHANNEL_DATA packet in pieces',
    find: 'class GenericCipherNative {',
    replace: [
      'class GenericCipherNative {',
      '  encryptChannelData(chan, data) {',
      '    if (this._dead)',
      '      return;',
      '    const { head, pad } = channelDataParts(chan, data.length, this._encBlockLen, this._aadLen);',
      '    const mac = createHmac(this._macSSLName, this._macKey);',
      '    writeUInt32BE(BUF_INT, this.outSeqno, 0);',
      '    mac.update(BUF_INT);',
      '    if (this._macETM) {',
      '      const lenBytes = head.subarray(0, 4);',
      '      this._onWrite(lenBytes);',
      '      mac.update(lenBytes);',
      '      for (const part of [head.subarray(4), data, pad]) {',
      '        const encrypted = this._cipherInstance.update(part);',
      '        this._onWrite(encrypted);',
      '        mac.update(encrypted);',
      '      }',
      '    } else {',
      '      for (const part of [head, data, pad]) {',
      '        this._onWrite(this._cipherInstance.update(part));',
      '        mac.update(part);',
      '      }',
      '    }',
      '    let digest = mac.digest();',
      '    if (digest.length > this._macActualLen)',
      '      digest = digest.slice(0, this._macActualLen);',
      '    this._onWrite(digest);',
      '    this.outSeqno = (this.outSeqno + 1) >>> 0;',
      '  }',
    ].join('\n'),
    marker: 'channelDataParts(chan,data.length,this._encBlockLen,this._aadLen)',
  },
  // Speed, measured with OpenSSH's client (BENCHMARKS.md analysis 5a): the client
  // counts its 2 MiB channel window as consumed only once it has passed the data on to
  // sftp/scp, and keeps what it has not yet passed on in a buffer it compacts with
  // memmove on every append. When the server fills the whole window faster than the
  // client drains it, that buffer holds ~1.5 MiB, the client's CPU per byte doubles
  // (45,000 page faults per 256 MiB download against 5,000 with OpenSSH's sshd) and the
  // client, not the server, sets the pace: 0.65x OpenSSH. A session channel now keeps
  // in flight what the connection's `sessionWindowCap(window)` says (set by
  // src/sshd/ssh2-adapter.ts; the rule is src/sshd/window-cap.ts: 512 KiB on a short
  // round trip, growing with it up to half the client's window, at least 1 MiB): the
  // client's buffer stays small and the same download runs ~30 % faster. The cost: one
  // session moves at most 1 MiB per round trip against OpenSSH clients (2 MiB with sshd),
  // i.e. long fat links (over 1 MiB bandwidth-delay product, e.g. 100 Mbit/s at 84 ms)
  // get up to half of what sshd would give them. A connection without the hook keeps
  // ssh2's own behaviour (the whole window).
  {
    file: 'node_modules/ssh2/lib/server.js',
    why: 'a session channel keeps in flight what the connection\'s sessionWindowCap says (client buffer bloat)',
    find: [
      '      outgoing: {',
      '        id: info.sender,',
      '        window: info.window,',
    ].join('\n'),
    replace: [
      '      outgoing: {',
      '        id: info.sender,',
      "        window: typeof client.sessionWindowCap === 'function'",
      '          ? client.sessionWindowCap(info.window)',
      '          : info.window,',
    ].join('\n'),
    marker: 'window:typeof client.sessionWindowCap==="function"?client.sessionWindowCap(info.window)',
  },
  // The SFTP request parser (server side). Found by the SFTP fuzz target
  // (stress/fuzz/sftp.mjs); each of these dropped the whole SSH connection, shells
  // and forwards included, where a malformed request must only close its channel.
  {
    // The 4-byte packet length was assembled with `<< 8`, a signed 32-bit shift: a
    // length of 2^31 or more came out negative, passed the "exceeds max length" check
    // and the parser then read byte 0 of a packet it never allocated (TypeError).
    file: 'node_modules/ssh2/lib/protocol/SFTP.js',
    why: 'SFTP packet lengths of 2^31 and more are refused, not read as negative',
    find: '          this._pktLen = (this._pktLen << 8) + data[p++];',
    replace: '          this._pktLen = this._pktLen * 256 + data[p++];',
    marker: 'this._pktLen*256+',
  },
  {
    // After a fatal framing error the parser kept its half-read length, so the next
    // chunk on the channel (the client has not yet seen the close) was taken as the
    // body of a packet of up to 4 GiB and allocated as such. A failed channel now
    // ignores whatever still arrives until it is closed.
    file: 'node_modules/ssh2/lib/protocol/SFTP.js',
    why: 'an SFTP channel that failed ignores further data (no allocation from a stale length)',
    find: ['    let p = 0;', '', '    while (p < data.length) {', '      if (this._pktLenBytes < 4) {'].join('\n'),
    replace: ['    if (this._fatalSFTPError)', '      return;', '    let p = 0;', '', '    while (p < data.length) {', '      if (this._pktLenBytes < 4) {'].join('\n'),
    marker: 'this._fatalSFTPError)return',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/SFTP.js',
    why: 'the fatal SFTP error marks the channel failed',
    find: ['function doFatalSFTPError(sftp, msg, noDebug) {', '  const err = new Error(msg);'].join('\n'),
    replace: ['function doFatalSFTPError(sftp, msg, noDebug) {', '  sftp._fatalSFTPError = true;', '  const err = new Error(msg);'].join('\n'),
    marker: 'sftp._fatalSFTPError=true',
  },
  {
    // Start-up time, not a fix: ssh2 learns the class of zlib's native handle by creating
    // an Inflate stream (and its 32 KiB window) when the module loads, on every start of
    // breakglassd, though compression is negotiated only by clients that ask for it. The
    // class is now looked up on the first compressed connection.
    file: 'node_modules/ssh2/lib/protocol/zlib.js',
    why: "zlib's handle class looked up at the first compressed connection, not at load",
    find: ['const ZlibHandle = createInflate()._handle.constructor;'].join('\n'),
    replace: ['let ZlibHandleClass;', 'const zlibHandleClass = () => (ZlibHandleClass ??= createInflate()._handle.constructor);'].join('\n'),
    marker: 'ZlibHandleClass??=',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/zlib.js',
    why: "zlib's handle class looked up at the first compressed connection (its use)",
    find: '    this._handle = new ZlibHandle(mode);',
    replace: '    this._handle = new (zlibHandleClass())(mode);',
    marker: 'new(zlibHandleClass())(',
  },
  {
    // Start-up time, not a fix: ssh2 probes for Ed25519 by signing and verifying a
    // message with a key it parses first (~2.5 ms of every start). Node has had
    // Ed25519 sign/verify since 12 and the project needs 20, so the probe always says yes.
    file: 'node_modules/ssh2/lib/protocol/constants.js',
    why: 'Ed25519 taken as supported (Node >= 12) instead of probed at load',
    find: ['const eddsaSupported = (() => {', "  if (typeof crypto.sign === 'function'"].join('\n'),
    replace: ['const eddsaSupported = true || (() => {', "  if (typeof crypto.sign === 'function'"].join('\n'),
    marker: 'eddsaSupported=true;', // esbuild folds the rest away
  },
  {
    // A server-side session channel with no shell, exec or subsystem yet is a Session,
    // not a Channel, and ssh2 tells the two apart by class name. esbuild renames ssh2's
    // `class Session` when the bundle has another (ours: Session2), so a connection that
    // closed with such a channel open went on to `channel.incoming.state` and threw
    // outside any handler: breakglassd ended ("internal error"). A Channel is what has
    // `incoming`; test/sshd/session-channel-abuse.test.ts drops such a connection.
    file: 'node_modules/ssh2/lib/utils.js',
    why: 'a session channel still without a shell is told apart by shape, not by its (bundled) class name',
    find: ["  if (channel.server && channel.constructor.name === 'Session')", '    return;'].join('\n'),
    replace: ['  const isBareSession = channel.server && channel.incoming === undefined;', '  if (isBareSession)', '    return;'].join('\n'),
    marker: 'isBareSession=channel.server&&channel.incoming===void 0',
  },
  // pty-req's terminal modes (RFC 4254 §8: opcode bytes, each but TTY_OP_END with a
  // uint32, opcodes 160 and up end the list). ssh2 started reading one byte in and
  // looked opcodes up in a copy of the name → opcode table (built by an O(n²) spread,
  // ~5 ms at load; BENCHMARKS.md analysis 14), so a mode value of 2^24 or more, or any
  // opcode it did not name, made the whole request malformed. Modes are now read from
  // the first byte, by opcode, unknown ones skipped.
  {
    file: 'node_modules/ssh2/lib/protocol/handlers.misc.js',
    why: 'terminal mode names by opcode, built in one pass (was an O(n²) copy keyed by name)',
    find: ['const TERMINAL_MODE_BY_VALUE =', '  Array.from(Object.entries(TERMINAL_MODE))', '       .reduce((obj, [key, value]) => ({ ...obj, [key]: value }), {});'].join('\n'),
    replace: 'const TERMINAL_MODE_BY_VALUE = Object.fromEntries(Object.entries(TERMINAL_MODE).map(([name, opcode]) => [opcode, name]));',
    marker: 'TERMINAL_MODE_BY_VALUE=Object.fromEntries(Object.entries(TERMINAL_MODE).map(([name,opcode])=>[opcode,name]))',
  },
  {
    file: 'node_modules/ssh2/lib/protocol/handlers.misc.js',
    why: 'terminal modes read from their first byte; unknown opcodes skipped, 160 and up end the list',
    find: [
      '            bufferParser.init(modesBinary, 1);',
      '            let modes = {};',
      '            while (bufferParser.avail()) {',
      '              const opcode = bufferParser.readByte();',
      '              if (opcode === TERMINAL_MODE.TTY_OP_END)',
      '                break;',
      '              const name = TERMINAL_MODE_BY_VALUE[opcode];',
      '              const value = bufferParser.readUInt32BE();',
      '              if (opcode === undefined',
      '                  || name === undefined',
      '                  || value === undefined) {',
      '                modes = undefined;',
      '                break;',
      '              }',
      '              modes[name] = value;',
      '            }',
    ].join('\n'),
    replace: [
      '            bufferParser.init(modesBinary, 0);',
      '            let modes = {};',
      '            while (bufferParser.avail()) {',
      '              const opcode = bufferParser.readByte();',
      '              if (opcode === TERMINAL_MODE.TTY_OP_END || opcode >= 160)',
      '                break;',
      '              const modeName = TERMINAL_MODE_BY_VALUE[opcode];',
      '              const value = bufferParser.readUInt32BE();',
      '              if (value === undefined) {',
      '                modes = undefined;',
      '                break;',
      '              }',
      '              if (modeName !== undefined)',
      '                modes[modeName] = value;',
      '            }',
    ].join('\n'),
    marker: 'opcode===TERMINAL_MODE.TTY_OP_END||opcode>=160',
  },
  // READ, WRITE and FSETSTAT checked their last field but not the handle string: a
  // handle length past the end of the packet left `handle` undefined and
  // `handle.length` threw (TypeError) instead of the "Malformed … packet" error.
  ...['READ', 'WRITE', 'FSETSTAT'].map((request) => {
    const last = { READ: 'len', WRITE: 'data', FSETSTAT: 'attrs' }[request];
    return {
      file: 'node_modules/ssh2/lib/protocol/SFTP.js',
      why: `a ${request} whose handle runs past the packet is a malformed packet, not a TypeError`,
      find: [`    if (${last} === undefined || handle.length > 256)`, `      return doFatalSFTPError(sftp, 'Malformed ${request} packet');`].join('\n'),
      replace: [`    if (handle === undefined || ${last} === undefined || handle.length > 256)`, `      return doFatalSFTPError(sftp, 'Malformed ${request} packet');`].join('\n'),
      marker: `handle===void 0||${last}===void 0`,
    };
  }),
];

/**
 * Applies every patch meant for `path` to `text`.
 * @param {string} path absolute or relative path of the module being loaded
 * @param {string} text its source
 * @returns {string}
 */
export function applySsh2Patches(path, text) {
  const normalized = path.replaceAll('\\', '/');
  let out = text;
  for (const patch of SSH2_PATCHES) {
    if (!normalized.endsWith(patch.file)) continue;
    const count = out.split(patch.find).length - 1;
    if (count !== 1) {
      throw new Error(`ssh2 patch "${patch.why}": expected its text once in ${patch.file}, found ${count} times; ssh2 changed, review scripts/ssh2-patches.mjs`);
    }
    out = out.replace(patch.find, () => patch.replace);
  }
  return out;
}

/** The esbuild plugin: patches the listed ssh2 files as they are bundled. */
export const ssh2PatchesPlugin = {
  name: 'ssh2-patches',
  /** @param {import('esbuild').PluginBuild} b */
  setup(b) {
    const files = [...new Set(SSH2_PATCHES.map((p) => p.file.split('/').pop()))];
    const filter = new RegExp(`node_modules[\\\\/]ssh2[\\\\/].*(${files.map((f) => f.replace('.', '\\.')).join('|')})$`);
    b.onLoad({ filter }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      return { contents: applySsh2Patches(args.path, await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};
