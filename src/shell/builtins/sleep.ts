// sleep DURATION...: fractional, with s/m/h/d suffixes (summed), `inf`; ^C ends it (130).
import type { Builtin } from '../types.js';
import { fail, failMissing } from './io.js';

const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** `1.5`, `2m`, `inf` → seconds; undefined when invalid. */
export function parseSleep(arg: string): number | undefined {
  if (/^inf(inity)?$/i.test(arg)) return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  return Number(m[1]) * UNIT[m[2]!]!;
}

export const sleep: Builtin = {
  name: 'sleep',
  summary: 'wait for a while',
  usage: 'Usage: sleep N[smhd]...\n\nPause for the sum of the durations (fractions allowed, e.g. 0.5 or 1m; "inf" for ever).\n^C ends it early (exit 130).',
  async run(args, ctx) {
    if (args.length === 0) return failMissing(ctx.stderr, 'sleep');
    let seconds = 0;
    for (const a of args) {
      const s = parseSleep(a);
      if (s === undefined) return fail(ctx.stderr, 'sleep', `invalid number '${a}'`, 2);
      seconds += s;
    }
    if (ctx.signal.aborted) return 130;
    return new Promise<number>((resolve) => {
      // setTimeout caps at 2^31-1 ms; longer sleeps re-arm.
      let timer: NodeJS.Timeout | undefined;
      const deadline = Date.now() + seconds * 1000;
      const arm = (): void => {
        const left = deadline - Date.now();
        if (left <= 0) return finish(0);
        timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
      };
      const onAbort = (): void => finish(130);
      const finish = (code: number): void => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(code);
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  },
};
