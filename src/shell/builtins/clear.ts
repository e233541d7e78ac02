// clear: home the cursor and erase the screen and its scrollback (ECMA-48 CUP, ED 2/3).
import type { Builtin } from '../types.js';
import { write } from '../../os/index.js';

export const clear: Builtin = {
  name: 'clear',
  summary: 'clear the terminal screen',
  usage: 'Usage: clear\n\nClear the screen and the scrollback.',
  async run(_args, ctx) {
    await write(ctx.stdout, '\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};
