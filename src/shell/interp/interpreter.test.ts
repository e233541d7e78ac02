import { mkdtemp, readFile, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Builtin } from '../types.js';
import { builtinTable } from '../builtins/index.js';
import { readAll, write } from '../../os/stream.js';
import { OptionError } from '../options.js';
import { runLines, testInterpreter } from '../../../test/helpers/test-interpreter.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interp-'));
  await writeFile(join(dir, 'a.txt'), 'A\n');
  await writeFile(join(dir, 'b.txt'), 'B\n');
  await writeFile(join(dir, '.hidden'), '');
  await writeFile(join(dir, 'noexec'), '#!/bin/true\n', { mode: 0o644 });
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'c.md'), '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('interpreter tables', () => {
  it.each([
    ['echo "a  b" c\\ d', 'a  b c d\n', 0],
    ['false || echo x', 'x\n', 0],
    ['true && echo y', 'y\n', 0],
    ['false && echo no', '', 1],
    ['true || echo no', '', 0],
    ['false; echo $?', '1\n', 0],
    ['! false && echo negated', 'negated\n', 0],
    ['X=1; echo $X ${X}x "$X"', '1 1x 1\n', 0],
    ['X="a   b"; echo $X; echo "$X"', 'a b\na   b\n', 0],
    ['X=; echo [$X] ["$X"] $X', '[] []\n', 0],
    ['echo ~ ~/x', '/root /root/x\n', 0],
    ['cd /tmp && pwd', '/tmp\n', 0],
    ['cd / ; cd /usr; cd -; pwd', '/\n/\n', 0],
    ['echo a # comment', 'a\n', 0],
    ['exit 3', '', 3],
    ['exit 3; echo not reached', '', 3],
    ['printf "%s-%d\\n" a 1 b 2', 'a-1\nb-2\n', 0],
    ['echo -n a; echo -e "b\\tc"', 'ab\tc\n', 0],
    ['X=1 env | grep ^X=', 'X=1\n', 0],
    ['export Y=2; env | grep ^Y=', 'Y=2\n', 0],
    ['Z=3; env | grep -c ^Z=', '0\n', 1],
    ['echo one | cat | cat', 'one\n', 0],
    ['printf "b\\na\\n" | sort', 'a\nb\n', 0],
    ['echo x | false', '', 1],
    ['false | true', '', 0],
    ['echo $((', '', 2],
    ['cd / | true; pwd', '/tmp\n', 0],
    ['exit 4 | true; echo still here', 'still here\n', 0],
    ['X=1 | true; echo "[$X]"', '[]\n', 0],
    ['cd /nonexistent | true', '', 0],
  ])('%j', async (line, stdout, code) => {
    const r = await runLines(line);
    expect(r.stdout).toBe(stdout);
    expect(r.code).toBe(code);
  });

  it('nosuchcmd → 127 with "nosuchcmd: not found"', async () => {
    const r = await runLines('nosuchcmd');
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('sh: nosuchcmd: not found\n');
  });

  it('a file that is not executable → 126', async () => {
    const r = await runLines(`${dir}/noexec`);
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('Permission denied');
    const d = await runLines(dir);
    expect(d.code).toBe(126);
    expect(d.stderr).toContain('Is a directory');
  });

  it('killed by a signal → 128+N and the signal name', async () => {
    const r = await runLines('sh -c "kill -TERM \\$\\$"');
    expect(r).toMatchObject({ code: 143, signal: 'TERM' });
  });

  it('a parse error names the construct and position, status 2', async () => {
    const r = await runLines('for x in a; do echo; done');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sh: 1:1: 'for' loops are not supported by the breakglass shell; run the toolbox's sh: sh -c 'for x in a; do echo; done'\n$/);
  });

  it('globs expand sorted, skip dotfiles, and stay literal without a match', async () => {
    const r = await runLines([`cd ${dir}`, 'echo *.txt', 'echo *', 'echo .h*', 'echo *.none "*.txt" \\*', 'echo sub/*.md */c.*', 'echo [ab].txt ?.txt [!a].txt']);
    expect(r.stdout.split('\n')).toEqual([
      'a.txt b.txt',
      'a.txt b.txt noexec sub',
      '.hidden',
      '*.none *.txt *',
      'sub/c.md sub/c.md',
      'a.txt b.txt a.txt b.txt b.txt',
      '',
    ]);
  });

  it('redirects are written and read back', async () => {
    const f = join(dir, 'out.txt');
    const r = await runLines([`echo first > ${f}`, `echo second >> ${f}`, `cat < ${f}`, `ls /nonexistent 2> ${f}.err; cat ${f}.err | wc -l`, `echo both &> ${f}.both; cat ${f}.both`]);
    expect(r.stdout).toBe('first\nsecond\n1\nboth\n');
    expect(await readFile(f, 'utf8')).toBe('first\nsecond\n');
  });

  it('2>&1 and >f 2>&1 order as in sh', async () => {
    const f = join(dir, 'order.txt');
    const r = await runLines([`ls /nonexistent 2>&1 | wc -l`, `ls /nonexistent >${f} 2>&1; wc -l < ${f}`, `ls /nonexistent 2>&1 >${f}.2 | wc -l`]);
    expect(r.stdout).toBe('1\n1\n1\n');
    expect(await readFile(`${f}.2`, 'utf8')).toBe('');
  });

  it('built-in output redirects to a file; a missing input file is an error', async () => {
    const f = join(dir, 'builtin.txt');
    const r = await runLines([`echo hello > ${f}; printf "%s\\n" more >> ${f}`, `cat ${f}`, `cat < ${dir}/missing`]);
    expect(r.stdout).toBe('hello\nmore\n');
    expect(r.stderr).toBe(`sh: can't open '${dir}/missing': No such file or directory\n`);
    expect(r.code).toBe(1);
  });

  it('an ambiguous redirect is refused', async () => {
    const r = await runLines(['X="a b"', 'echo x > $X']);
    expect(r.stderr).toContain('ambiguous redirect');
    expect(r.code).toBe(1);
  });

  it.each([
    ['echo x 2>&9', "sh: 9: Bad file descriptor\n", 1],
    ['echo x > /', "sh: can't open '/': Is a directory\n", 1],
    ['cat < /nonexistent/x', "sh: can't open '/nonexistent/x': No such file or directory\n", 1],
    ['exit abc', 'exit: Illegal number: abc\n', 2],
    ['exit 1 2', 'exit: too many arguments\n', 2],
  ])('bad input: %j', async (line, stderr, code) => {
    const r = await runLines(line);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
  });

  it('a long pipeline of externals and built-ins streams through', async () => {
    const stages = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'cat' : 'tr a a')).join(' | ');
    const r = await runLines(`printf "%s\\n" one two | ${stages} | wc -l`);
    expect(r.stdout.trim()).toBe('2');
  });

  it('exit N is 0-255 (wraps like sh)', async () => {
    expect((await runLines('exit 256')).code).toBe(0);
    expect((await runLines('exit 257')).code).toBe(1);
  });

  it('streams: cat /dev/zero | head -c 1000000 | wc -c returns', async () => {
    const r = await runLines('cat /dev/zero | head -c 1000000 | wc -c');
    expect(r.stdout.trim()).toBe('1000000');
    expect(r.code).toBe(0);
  });

  it('a writer whose reader left dies of SIGPIPE quietly (yes | head -1)', async () => {
    const r = await runLines('yes | head -2');
    expect(r.stdout).toBe('y\ny\n');
    expect(r.stderr).toBe('');
  });

  it('a built-in writing into a closed pipe gets 141 (BrokenPipe)', async () => {
    const spam: Builtin = {
      name: 'spam',
      summary: 'writes forever',
      usage: 'spam',
      async run(_args, ctx) {
        for (;;) await write(ctx.stdout, 'x'.repeat(1024) + '\n');
      },
    };
    const builtins = builtinTable();
    builtins.set('spam', spam);
    const r = await runLines(['spam | head -c 10 > /dev/null; echo done'], { builtins });
    expect(r.stdout).toBe('done\n');
    // $? of the pipeline is head's; the built-in itself ended with 141.
    const r2 = await runLines(['spam | head -c 10 >/dev/null', 'echo $?'], { builtins });
    expect(r2.stdout).toBe('0\n');
  });

  it('a built-in whose output is gone exits 141, like a process killed by SIGPIPE', async () => {
    const gone = new PassThrough();
    gone.destroy();
    const r = await runLines('echo hello', { stdout: gone });
    expect(r.code).toBe(141);
  });

  it('stdin flows into the first command', async () => {
    const r = await runLines('cat | tr a-z A-Z', { stdin: 'hello\n' });
    expect(r.stdout).toBe('HELLO\n');
  });

  it('built-ins take --help centrally; bad options → NAME: message + usage, exit 2', async () => {
    const r = await runLines('pwd --help');
    expect(r.stdout).toMatch(/^Usage: pwd/);
    expect(r.code).toBe(0);
    const bad = await runLines('pwd -z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pwd: invalid option -- 'z'\nUsage: pwd/);
    const thrower: Builtin = {
      name: 'thrower',
      summary: '',
      usage: 'Usage: thrower',
      run: () => Promise.reject(new OptionError('bad thing')),
    };
    const builtins = builtinTable();
    builtins.set('thrower', thrower);
    const t = await runLines('thrower', { builtins });
    expect(t.stderr).toBe('thrower: bad thing\nUsage: thrower\n');
    expect(t.code).toBe(2);
  });

  it('an unexpected built-in error is "NAME: message", exit 1', async () => {
    const builtins = builtinTable();
    builtins.set('boom', { name: 'boom', summary: '', usage: '', run: () => Promise.reject(new Error('kaput')) });
    const r = await runLines('boom', { builtins });
    expect(r).toMatchObject({ stderr: 'boom: kaput\n', code: 1 });
  });

  it('PATH: computed from the toolbox each time unless the user sets it', async () => {
    const tb = await mkdtemp(join(tmpdir(), 'tb-'));
    onTestFinished(() => rm(tb, { recursive: true, force: true }));
    const dirs: string[] = [];
    const services = { hostname: 'h', procRoot: '/proc', sysRoot: '/sys', devRoot: '/dev', toolbox: { pathDirs: () => dirs, add: () => Promise.reject(new Error('no')), list: () => Promise.resolve([]), clear: () => Promise.resolve(), dir: tb } };
    await writeFile(join(tb, 'newtool'), '#!/bin/sh\necho from-toolbox\n');
    await chmod(join(tb, 'newtool'), 0o755);
    const r = await runLines(['newtool', 'echo $PATH'], { services });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('newtool: not found');
    dirs.push(tb);
    const r2 = await runLines(['newtool', 'echo $PATH'], { services });
    expect(r2.stdout).toBe(`from-toolbox\n${tb}:/user:/gokrazy:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n`);
    const r3 = await runLines(['PATH=/nowhere', 'newtool'], { services });
    expect(r3.code).toBe(127);
  });

  it('background jobs: $!, jobs, wait with status', async () => {
    const r = await runLines(['sh -c "exit 7" &', 'wait %1; echo status=$?', 'sleep 5 &', 'jobs', 'kill %1', 'wait; echo $?']);
    expect(r.stdout).toMatch(/^status=7\n\[1\]\+  Running +sleep 5 &\n0\n$/);
  });

  it('a background external is its own process group and is killed by close()', async () => {
    const r = await runLines(['/bin/sleep 30 &', 'echo $!']);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // Own process group: the group id is its pid.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])).toBe(pid);
    const started = Date.now();
    await r.interp.close(300);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(readFile(`/proc/${pid}/stat`, 'utf8')).rejects.toThrow();
  });

  it('close() SIGKILLs a job that ignores SIGHUP after the grace period', async () => {
    const r = await runLines(['sh -c "trap \\"\\" HUP TERM; while :; do sleep 0.05; done" &', 'echo $!']);
    const pid = Number(r.stdout.trim());
    await new Promise((res) => setTimeout(res, 100));
    const started = Date.now();
    await r.interp.close(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(readFile(`/proc/${pid}/stat`, 'utf8')).rejects.toThrow();
  });
});

describe('close()', () => {
  it('ends a foreground built-in blocked reading stdin that never ends', async () => {
    const never = new PassThrough();
    // Reads to the end and ignores its AbortSignal.
    const builtins = builtinTable();
    builtins.set('slurp', { name: 'slurp', summary: '', usage: '', run: async (_a, ctx) => (await readAll(ctx.stdin)).length });
    const t = testInterpreter({ openInput: () => never, builtins });
    const running = t.interp.runLine('slurp');
    await new Promise((r) => setTimeout(r, 50));
    await t.interp.close(200);
    const result = await Promise.race([running, new Promise((r) => setTimeout(() => r('still running'), 2000))]);
    expect(result).not.toBe('still running');
  });
});
