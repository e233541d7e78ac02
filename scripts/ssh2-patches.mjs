// Small, documented fixes to ssh2 that the build applies to the bundled copy
// (node_modules stays untouched). Each patch names the exact text it replaces; the
// build fails loudly when that text is not found exactly once, so an ssh2 upgrade
// cannot silently drop a fix. scripts/ssh2-patches.test.ts applies each patch to the
// installed ssh2 and checks the result.

/** @typedef {{ file: string, why: string, find: string, replace: string }} Ssh2Patch */

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
  },
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
