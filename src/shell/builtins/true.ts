import type { Builtin } from '../types.js';

export const trueBuiltin: Builtin = {
  name: 'true',
  aliases: [':'],
  summary: 'do nothing, successfully',
  usage: 'Usage: true\n\nReturn an exit code of 0.',
  run: () => Promise.resolve(0),
};
