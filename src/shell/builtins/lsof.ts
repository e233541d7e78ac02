// lsof: open files per process from /proc/PID/{cwd,root,exe,fd/*} (readlink + stat) and
// /proc/PID/fdinfo/* (access mode), in lsof's column layout. Sockets show as
// socket:[inode]; `netstat -p` / `ss -p` map those to addresses.
import { readdir, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../os/index.js';
import { readProcFile, readUserNames, scanProcesses, userName } from '../../proc/index.js';
import type { ProcessInfo, UserNames } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { JsonArrayWriter, LineWriter, parseOrExit, usageError } from './system-util.js';

const USAGE = `Usage: lsof [-p PID[,PID…]] [-u USER[,USER…]] [-c NAME] [--json] [FILE…]
List open files per process (from /proc/PID/fd, cwd, root and exe):
COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME
  -p LIST   only these processes
  -u LIST   only processes of these users (names or uids)
  -c NAME   only commands whose name starts with NAME
  --json    [{"command", "pid", "user", "fd", "type", "device", "size_off", "node", "name"}]
FILE      only entries for these files (same device and inode), e.g. lsof /perm/db.sqlite
FD is cwd (working dir), rtd (root dir), txt (program) or the number with its mode:
r read, w write, u read/write. Sockets show as socket:[INODE]; netstat -p maps them.
`;

export interface OpenFile {
  command: string;
  pid: number;
  user: string;
  fd: string;
  type: string;
  device: string;
  sizeOff: string;
  node: string;
  name: string;
  dev?: number;
  ino?: number;
}

function fileType(st: Stats | undefined, link: string): string {
  if (st) {
    if (st.isDirectory()) return 'DIR';
    if (st.isFile()) return 'REG';
    if (st.isCharacterDevice()) return 'CHR';
    if (st.isBlockDevice()) return 'BLK';
    if (st.isFIFO()) return 'FIFO';
    if (st.isSocket()) return 'sock';
    if (st.isSymbolicLink()) return 'LINK';
  }
  if (link.startsWith('socket:')) return 'sock';
  if (link.startsWith('pipe:')) return 'FIFO';
  if (link.startsWith('anon_inode:')) return 'a_inode';
  return 'unknown';
}

function devString(dev: number): string {
  return `${(dev >> 8) & 0xfff},${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`;
}

/** O_ACCMODE of the `flags:` line in fdinfo (octal): r, w or u. */
export function accessMode(fdinfo: string | undefined): string {
  const m = fdinfo ? /^flags:\s+([0-7]+)/m.exec(fdinfo) : null;
  if (!m) return '';
  return ['r', 'w', 'u', ''][Number.parseInt(m[1]!, 8) & 3]!;
}

function position(fdinfo: string | undefined): number {
  const m = fdinfo ? /^pos:\s+(\d+)/m.exec(fdinfo) : null;
  return m ? Number(m[1]) : 0;
}

function describeError(err: unknown): string {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied';
  return code ?? (err as Error).message;
}

async function entry(p: ProcessInfo, user: string, dir: string, fdName: string, mode: string, fdinfo?: string): Promise<OpenFile | undefined> {
  const path = join(dir, fdName.match(/^\d+$/) ? `fd/${fdName}` : fdName);
  const label = fdName === 'cwd' ? 'cwd' : fdName === 'root' ? 'rtd' : fdName === 'exe' ? 'txt' : `${fdName}${mode}`;
  const base = { command: p.comm.slice(0, 9), pid: p.pid, user, fd: label };
  let link: string;
  try {
    link = await readlink(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined; // fd closed meanwhile, or a kernel thread's exe
    return { ...base, type: 'unknown', device: '', sizeOff: '', node: '', name: `${path} (readlink: ${describeError(err)})` };
  }
  const st = await stat(path).catch(() => undefined);
  const type = fileType(st, link);
  const sized = type === 'REG' || type === 'DIR';
  return {
    ...base,
    type,
    device: st ? devString(type === 'CHR' || type === 'BLK' ? st.rdev : st.dev) : '',
    sizeOff: st ? (sized ? String(st.size) : `0t${position(fdinfo)}`) : '',
    node: st ? String(st.ino) : (/\[(\d+)\]$/.exec(link)?.[1] ?? ''),
    name: link.replace(/ \(deleted\)$/, ' (deleted)'),
    ...(st ? { dev: st.dev, ino: st.ino } : {}),
  };
}

/** Every open file of one process, cwd/rtd/txt first, then fds in numeric order. */
export async function openFiles(procRoot: string, p: ProcessInfo, users: UserNames): Promise<OpenFile[]> {
  const dir = join(procRoot, String(p.pid));
  const user = userName(users, p.uid);
  const fixed = await Promise.all(['cwd', 'root', 'exe'].map((name) => entry(p, user, dir, name, '')));
  let fds: string[];
  try {
    fds = (await readdir(join(dir, 'fd'))).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (err) {
    const rows = fixed.filter((r): r is OpenFile => r !== undefined);
    if (errnoCode(err) === 'ENOENT') return rows; // exited
    return [...rows, { command: p.comm.slice(0, 9), pid: p.pid, user, fd: 'NOFD', type: '', device: '', sizeOff: '', node: '', name: `${dir}/fd (opendir: ${describeError(err)})` }];
  }
  const rows = await Promise.all(
    fds.map(async (fd) => {
      const fdinfo = await readProcFile(join(dir, 'fdinfo', fd)).catch(() => undefined);
      return entry(p, user, dir, fd, accessMode(fdinfo), fdinfo);
    }),
  );
  const present = rows.filter((r): r is OpenFile => r !== undefined);
  const denied = present.filter((r) => r.type === 'unknown' && r.name.endsWith('(readlink: Permission denied)'));
  // A process whose descriptors may be listed but not read (another user namespace, a
  // hardened init): one NOFD line, as lsof prints, instead of one error per descriptor.
  const fdRows: OpenFile[] =
    denied.length > 0 && denied.length === present.length
      ? [{ command: p.comm.slice(0, 9), pid: p.pid, user, fd: 'NOFD', type: '', device: '', sizeOff: '', node: '', name: `${dir}/fd (readlink: Permission denied)` }]
      : present;
  return [...fixed.filter((r): r is OpenFile => r !== undefined), ...fdRows];
}

function layout(c: [string, string, string, string, string, string, string, string, string]): string {
  return `${c[0].padEnd(9)} ${c[1].padStart(7)} ${c[2].padEnd(8)} ${c[3].padStart(5)} ${c[4].padEnd(7)} ${c[5].padStart(9)} ${c[6].padStart(10)} ${c[7].padStart(10)} ${c[8]}`;
}

export function formatOpenFile(f: OpenFile): string {
  return layout([f.command, String(f.pid), f.user, f.fd, f.type, f.device, f.sizeOff, f.node, f.name]);
}

export const LSOF_HEADER = layout(['COMMAND', 'PID', 'USER', 'FD', 'TYPE', 'DEVICE', 'SIZE/OFF', 'NODE', 'NAME']);

async function runLsof(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('lsof', USAGE, args, { flags: 'nPlw', values: 'puc', long: { json: false } }, ctx);
  if (typeof opts === 'number') return opts;
  const pidList = opts.all('p').flatMap((v) => v.split(',')).filter(Boolean);
  if (pidList.some((v) => !/^\d+$/.test(v))) return usageError('lsof', `-p takes process IDs: ${pidList.join(',')}`, ctx);
  const users = await readUserNames();
  const byName = new Map([...users].map(([uid, name]) => [name, uid]));
  byName.set('root', 0);
  const uids = new Set<number>();
  for (const u of opts.all('u').flatMap((v) => v.split(',')).filter(Boolean)) {
    const uid = /^\d+$/.test(u) ? Number(u) : byName.get(u);
    if (uid === undefined) return usageError('lsof', `can't identify user: ${u}`, ctx);
    uids.add(uid);
  }
  const commands = opts.all('c');
  const targets: Array<{ dev: number; ino: number }> = [];
  for (const operand of opts.operands) {
    try {
      const st = await ctx.fs.stat(ctx.resolve(operand));
      targets.push({ dev: st.dev, ino: st.ino });
    } catch (err) {
      return usageError('lsof', `status error on ${operand}: ${describeError(err)}`, ctx);
    }
  }
  const out = new LineWriter(ctx.stdout);
  const json = opts.has('json') ? new JsonArrayWriter(out) : undefined;
  let found = 0;
  const scan = { cmdline: false, uid: true, signal: ctx.signal, concurrency: 16, ...(pidList.length > 0 ? { pids: pidList.map(Number) } : {}) };
  for await (const p of scanProcesses(ctx.services.procRoot, scan)) {
    if (uids.size > 0 && !uids.has(p.uid)) continue;
    if (commands.length > 0 && !commands.some((c) => p.comm.startsWith(c))) continue;
    const files = await openFiles(ctx.services.procRoot, p, users);
    for (const f of files) {
      if (targets.length > 0 && !targets.some((t) => t.dev === f.dev && t.ino === f.ino)) continue;
      if (found++ === 0 && !json) await out.line(LSOF_HEADER);
      if (json) {
        await json.item({ command: p.comm, pid: f.pid, user: f.user, fd: f.fd, type: f.type, device: f.device, size_off: f.sizeOff, node: f.node, name: f.name });
      } else await out.line(formatOpenFile(f));
    }
  }
  if (json) await json.end();
  await out.flush();
  if (ctx.signal.aborted) return 130;
  return found === 0 ? 1 : 0;
}

export const lsof: Builtin = { name: 'lsof', summary: 'open files per process (-p PID, FILE)', usage: USAGE, run: runLsof };
