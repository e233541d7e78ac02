// Built-ins and the interpreter reach the file system only through the injected handler
// (src/shell/files): run against an in-memory tree, ls, cat, find, stat, globbing,
// redirects and cd see that tree and nothing on the disk. A second part shows that a
// stalled file system holds up only the interpreter using it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { builtinTable } from '../../src/shell/builtins/index.js';
import { nodeFileSystem } from '../../src/shell/files/index.js';
import type { FileSystem } from '../../src/shell/files/index.js';
import { Interpreter } from '../../src/shell/interp/index.js';
import { MemoryFileSystem, stallingFileSystem } from '../helpers/memory-fs.js';
import type { TreeSpec } from '../helpers/memory-fs.js';

// A root no test machine has, so a call that bypassed the handler would fail loudly.
const ROOT = '/breakglass-memory-tree';

const TREE = {
  'a.txt': 'alpha\n',
  'b.txt': 'beta\n',
  'notes.md': '# notes\n',
  '.hidden': 'secret\n',
  link: { symlink: 'a.txt' },
  'sub/c.txt': 'gamma\n',
  'sub/deep/d.txt': 'delta\n',
  'bin/tool': { data: '#!/bin/sh\n', mode: 0o755 },
} satisfies TreeSpec;

function tree(): MemoryFileSystem {
  return new MemoryFileSystem(Object.fromEntries(Object.entries(TREE).map(([path, spec]) => [`${ROOT}/${path}`, spec])));
}

function shell(fs: FileSystem, root = ROOT): { interp: Interpreter; out: () => string; err: () => string } {
  const collect = (): { stream: PassThrough; text: () => string } => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString() };
  };
  const out = collect();
  const err = collect();
  const interp = new Interpreter({
    builtins: builtinTable(),
    services: { hostname: 'memhost', procRoot: '/proc', sysRoot: '/sys', devRoot: '/dev' },
    env: { LANG: 'C', TZ: 'UTC' },
    cwd: root,
    home: `${root}/sub`,
    stdout: out.stream,
    stderr: err.stream,
    openInput: () => Readable.from([]),
    killGraceMs: 200,
    fs,
  });
  return { interp, out: out.text, err: err.text };
}

async function run(fs: FileSystem, line: string, root = ROOT): Promise<{ out: string; err: string; code: number }> {
  const s = shell(fs, root);
  const { code } = await s.interp.runLine(line);
  await new Promise((r) => setImmediate(r));
  return { out: s.out(), err: s.err(), code };
}

// What a user sees for each line, in a tree at `root` (the same on a real disk).
const CASES = (root: string): Array<[string, string]> => [
  ['ls', 'a.txt\nb.txt\nbin\nlink\nnotes.md\nsub\n'],
  ['ls -a sub', '.\n..\nc.txt\ndeep\n'],
  ['ls -F', 'a.txt\nb.txt\nbin/\nlink@\nnotes.md\nsub/\n'],
  ['cat a.txt link sub/deep/d.txt', 'alpha\nalpha\ndelta\n'],
  ['cat *.txt', 'alpha\nbeta\n'],
  ['echo */*.txt .*', 'sub/c.txt .hidden\n'],
  ['echo ~/c*', `${root}/sub/c.txt\n`],
  ['find sub', 'sub\nsub/c.txt\nsub/deep\nsub/deep/d.txt\n'],
  ['find . -name "*.txt" -type f', './a.txt\n./b.txt\n./sub/c.txt\n./sub/deep/d.txt\n'],
  ["stat -c '%n %s %F %a' a.txt link bin/tool; stat -c '%n %F %a' sub", 'a.txt 6 regular file 644\nlink 5 symbolic link 777\nbin/tool 10 regular file 755\nsub directory 755\n'],
  ['wc -l *.txt sub/c.txt', ' 1 a.txt\n 1 b.txt\n 1 sub/c.txt\n 3 total\n'],
  ['cd sub/deep && pwd && cat d.txt', `${root}/sub/deep\ndelta\n`],
  ['cat *.txt > all.log; echo more >> all.log; cat < all.log', 'alpha\nbeta\nmore\n'],
  ['mkdir -p new/dir && echo x > new/dir/f && ls new/dir && rm -r new && ls', 'f\na.txt\nb.txt\nbin\nlink\nnotes.md\nsub\n'],
  ['PATH=$PWD/bin; which tool', `${root}/bin/tool\n`],
];

describe('built-ins and the interpreter against an in-memory tree', () => {
  it.each(CASES(ROOT))('%s', async (line, expected) => {
    const r = await run(tree(), line);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected);
    expect(r.code).toBe(0);
  });

  it('errors read as on a disk, with the same status', async () => {
    const fs = tree();
    expect(await run(fs, 'cat nope')).toEqual({ out: '', err: 'cat: nope: No such file or directory\n', code: 1 });
    expect(await run(fs, 'cd nope')).toEqual({ out: '', err: "cd: can't cd to nope: No such file or directory\n", code: 1 });
    expect(await run(fs, 'cat < nope')).toEqual({ out: '', err: "sh: can't open 'nope': No such file or directory\n", code: 1 });
    expect(await run(fs, 'ls nope sub/deep')).toEqual({ out: 'sub/deep:\nd.txt\n', err: "ls: cannot access 'nope': No such file or directory\n", code: 2 });
  });

  it('a redirect writes into the tree, not onto the disk', async () => {
    const fs = tree();
    expect((await run(fs, 'ls -l a.txt > listing')).code).toBe(0);
    // No /etc/passwd in this tree: owners are numbers, as ls shows them on an appliance.
    expect(await fs.readFile(`${ROOT}/listing`, 'utf8')).toMatch(/^-rw-r--r-- +1 0 +0 +6 Jan  2  2024 a\.txt\n$/);
    expect(existsSync(ROOT)).toBe(false);
  });

  it('user names and ~user come from the tree\'s /etc/passwd', async () => {
    const fs = tree();
    fs.add('/etc/passwd', 'memroot:x:0:0:root:/root:/bin/sh\nsam:x:1000:1000::/home/sam:/bin/sh\n');
    fs.add('/etc/group', 'memgroup:x:0:\n');
    const r = await run(fs, "ls -l a.txt; stat -c '%U %G' b.txt; echo ~sam ~nobody");
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^-rw-r--r-- +1 memroot +memgroup +6 Jan  2  2024 a\.txt\nmemroot memgroup\n\/home\/sam ~nobody\n$/);
  });
});

describe('the in-memory tree answers as a real disk does', () => {
  it('the same lines in the same tree on disk print the same', async () => {
    const top = await mkdtemp(join(tmpdir(), 'memtree-'));
    onTestFinished(() => rm(top, { recursive: true, force: true }));
    for (let i = 0; i < CASES(top).length; i++) {
      // A fresh tree per line, as each memory case gets.
      const dir = join(top, String(i));
      for (const [path, spec] of Object.entries(TREE)) {
        const full = join(dir, path);
        await mkdir(dirname(full), { recursive: true });
        if (typeof spec === 'string') await writeFile(full, spec);
        else if ('symlink' in spec) await symlink(spec.symlink, full);
        else await writeFile(full, spec.data, { mode: spec.mode });
      }
      const [line, expected] = CASES(dir)[i]!;
      const r = await run(nodeFileSystem, line, dir);
      expect({ line, ...r }).toEqual({ line, out: expected, err: '', code: 0 });
    }
  });
});

describe('a slow file system blocks only the session using it', () => {
  it('one interpreter waits on a stalled stat/readdir while another runs and finishes', async () => {
    const stalled = stallingFileSystem(tree());
    const slow = shell(stalled.fs);
    let slowDone = false;
    const slowRun = slow.interp.runLine(`ls ${ROOT}/sub; echo after`).then((r) => {
      slowDone = true;
      return r;
    });
    // The slow session is now inside the file system call and waits there.
    expect(await stalled.stalled).toMatch(/^(stat|lstat|readdir) /);

    // Meanwhile another session in this process runs commands that use the file system.
    const other = shell(tree());
    expect(await other.interp.runLine(`cat ${ROOT}/a.txt; ls ${ROOT}/sub; echo *.md`)).toEqual({ code: 0 });
    await new Promise((r) => setImmediate(r));
    expect(other.out()).toBe('alpha\nc.txt\ndeep\nnotes.md\n');
    expect(slowDone).toBe(false);
    expect(slow.out()).toBe('');

    stalled.release();
    expect(await slowRun).toEqual({ code: 0 });
    await new Promise((r) => setImmediate(r));
    expect(slow.out()).toBe('c.txt\ndeep\nafter\n');
  });
});
