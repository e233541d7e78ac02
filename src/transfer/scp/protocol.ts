// The legacy scp ("rcp") protocol that OpenSSH's `scp -O` speaks, as pure functions:
// the remote command line and the control records. There is no RFC; the reference
// is OpenSSH scp.c (sink()/source()/rsource()) and its scp(1) man page.
//   C<mode> <size> <name>\n   a file follows: <size> bytes, then one status byte
//   D<mode> 0 <name>\n        enter (create) a directory
//   E\n                        leave it
//   T<mtime> 0 <atime> 0\n    times for the next C or D (with -p)
// Every record is answered with \0 (ok), \1 message\n (error) or \2 message\n (fatal).

export interface ScpCommand {
  mode: 'sink' | 'source';
  recursive: boolean;
  preserve: boolean;
  /** -d: the target must be a directory (several sources). */
  targetIsDir: boolean;
  paths: string[];
}

/** Splits a command line into words as sh would for simple quoting ('…', "…", \). */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) return undefined;
      i = j;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `scp [-v] [-r] [-p] [-d] -t|-f [--] PATH…` → command, or undefined when not scp. */
export function parseScpCommand(line: string): ScpCommand | undefined {
  const words = splitWords(line.trim());
  if (!words || words[0] !== 'scp') return undefined;
  let mode: ScpCommand['mode'] | undefined;
  const cmd: ScpCommand = { mode: 'sink', recursive: false, preserve: false, targetIsDir: false, paths: [] };
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-') break;
    for (const flag of w.slice(1)) {
      if (flag === 't') mode = 'sink';
      else if (flag === 'f') mode = 'source';
      else if (flag === 'r') cmd.recursive = true;
      else if (flag === 'p') cmd.preserve = true;
      else if (flag === 'd') cmd.targetIsDir = true;
      else if (flag === 'v' || flag === 'q') continue;
      else return undefined;
    }
  }
  if (!mode) return undefined;
  cmd.mode = mode;
  cmd.paths = words.slice(i);
  if (mode === 'sink' && cmd.paths.length !== 1) return undefined;
  if (mode === 'source' && cmd.paths.length === 0) return undefined;
  return cmd;
}

export type ScpRecord =
  | { type: 'file'; mode: number; size: number; name: string }
  | { type: 'dir'; mode: number; name: string }
  | { type: 'end' }
  | { type: 'times'; mtime: number; atime: number }
  | { type: 'error'; fatal: boolean; message: string };

export class ScpProtocolError extends Error {
  override name = 'ScpProtocolError';
}

/** A name the peer may create: one path component, not `.` or `..` (as scp.c checks). */
function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new ScpProtocolError(`unexpected filename: ${name}`);
  }
  return name;
}

/** Parses one control record (without its trailing newline). */
export function parseRecord(line: string): ScpRecord {
  const kind = line[0];
  if (kind === '\x01' || kind === '\x02') return { type: 'error', fatal: kind === '\x02', message: line.slice(1) };
  if (kind === 'E') {
    if (line !== 'E') throw new ScpProtocolError(`bad end-of-directory record: ${JSON.stringify(line)}`);
    return { type: 'end' };
  }
  if (kind === 'T') {
    const m = /^T(\d+) (\d+) (\d+) (\d+)$/.exec(line);
    if (!m) throw new ScpProtocolError(`bad times record: ${JSON.stringify(line)}`);
    return { type: 'times', mtime: Number(m[1]), atime: Number(m[3]) };
  }
  if (kind === 'C' || kind === 'D') {
    const m = /^[CD]([0-7]{4,5}) (\d+) (.+)$/s.exec(line);
    if (!m) throw new ScpProtocolError(`bad ${kind === 'C' ? 'file' : 'directory'} record: ${JSON.stringify(line)}`);
    const mode = Number.parseInt(m[1]!, 8) & 0o7777;
    const name = checkName(m[3]!);
    if (kind === 'D') return { type: 'dir', mode, name };
    const size = Number(m[2]);
    if (!Number.isSafeInteger(size)) throw new ScpProtocolError(`file size out of range: ${m[2]}`);
    return { type: 'file', mode, size, name };
  }
  throw new ScpProtocolError(`unknown record: ${JSON.stringify(line.slice(0, 40))}`);
}

const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

export const formatFile = (mode: number, size: number, name: string): string => `C${octal(mode)} ${size} ${name}\n`;
export const formatDir = (mode: number, name: string): string => `D${octal(mode)} 0 ${name}\n`;
export const formatTimes = (mtime: number, atime: number): string => `T${Math.floor(mtime)} 0 ${Math.floor(atime)} 0\n`;
export const END_DIR = 'E\n';
/** An error line the peer prints (`scp: …`) and goes on with the next file. */
export const formatError = (message: string): string => `\x01scp: ${message.replace(/\n/g, ' ')}\n`;
