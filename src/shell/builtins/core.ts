// The core built-ins: the shell's own commands (language, jobs, environment).
import type { Builtin } from '../types.js';
import { bg } from './bg.js';
import { cd } from './cd.js';
import { clear } from './clear.js';
import { echo } from './echo.js';
import { env } from './env.js';
import { exit } from './exit.js';
import { exportBuiltin } from './export.js';
import { falseBuiltin } from './false.js';
import { fg } from './fg.js';
import { history } from './history.js';
import { jobs } from './jobs.js';
import { kill } from './kill.js';
import { printf } from './printf.js';
import { pwd } from './pwd.js';
import { sessions } from './sessions.js';
import { sleep } from './sleep.js';
import { time } from './time.js';
import { trueBuiltin } from './true.js';
import { type } from './type.js';
import { unset } from './unset.js';
import { wait } from './wait.js';
import { which } from './which.js';

/** The core built-ins; `help` lists the whole registry, so index.ts makes it and passes it in. */
export function coreBuiltins(help: Builtin): readonly Builtin[] {
  return [
    echo, printf, trueBuiltin, falseBuiltin, exit, cd, pwd, exportBuiltin, unset, env, which, type,
    sleep, time, help, history, clear, jobs, fg, bg, wait, kill, sessions,
  ];
}
