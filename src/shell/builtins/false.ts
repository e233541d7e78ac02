import type { Builtin } from '../types.js';

export const falseBuiltin: Builtin = {
  name: 'false',
  summary: 'do nothing, unsuccessfully',
  usage: 'Usage: false\n\nReturn an exit code of 1.',
  run: () => Promise.resolve(1),
};
