// Names the running program after itself instead of `node`, so `ps`, `top` and
// `netstat -p` on the device say `breakglassd`. process.title rewrites the command line
// (truncated to the original argv's length) and sets the kernel task name to its first
// 15 bytes; writing /proc/self/comm then makes the task name the bare program name.
import { writeFileSync } from 'node:fs';

export function nameProcess(program: string, argv: readonly string[] = process.argv.slice(2)): void {
  try {
    process.title = [program, ...argv].join(' ');
    writeFileSync('/proc/self/comm', program);
  } catch {
    // Cosmetic only: keep running under the old name.
  }
}
