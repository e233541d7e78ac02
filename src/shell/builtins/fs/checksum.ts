// sha256sum / md5sum, shared: streaming digests printed as coreutils does
// (`HASH  NAME`, `HASH *NAME` with -b, a leading `\` when NAME had to be escaped), and
// `-c` check mode with coreutils' messages and exit status.
import { createHash } from 'node:crypto';
import type { Builtin, BuiltinContext } from '../../types.js';
import { BrokenPipe, write, errnoMessage } from '../../../os/index.js';
import { fail } from '../io.js';
import { parseOptions } from '../../options.js';
import { fileBuiltin } from './define.js';
import { Aborted } from './guard.js';
import { isStdin, operandChunks, splitLines } from './input.js';

export interface DigestKind {
  /** Built-in name (`sha256sum`). */
  name: string;
  /** node:crypto algorithm. */
  algorithm: 'sha256' | 'md5';
  /** BSD tag (`SHA256 (f) = …`). */
  tag: string;
  hexLength: number;
}

/** coreutils escapes `\` and newline in names and marks such lines with a leading `\`. */
export function escapeName(name: string): { escaped: boolean; text: string } {
  if (!/[\\\n\r]/.test(name)) return { escaped: false, text: name };
  return { escaped: true, text: name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r') };
}

export function unescapeName(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

export interface CheckLine {
  hash: string;
  name: string;
}

/** One line of a checksum file (GNU or BSD style), or undefined when malformed. */
export function parseCheckLine(line: string, kind: DigestKind): CheckLine | undefined {
  let text = line.replace(/\r?\n$/, '');
  const escaped = text.startsWith('\\');
  if (escaped) text = text.slice(1);
  const hex = `[0-9a-fA-F]{${kind.hexLength}}`;
  const gnu = new RegExp(`^\\s*(${hex}) [ *](.+)$`).exec(text);
  const bsd = new RegExp(`^${kind.tag} \\((.+)\\) = (${hex})$`).exec(text);
  if (gnu) return { hash: gnu[1]!.toLowerCase(), name: escaped ? unescapeName(gnu[2]!) : gnu[2]! };
  if (bsd) return { hash: bsd[2]!.toLowerCase(), name: escaped ? unescapeName(bsd[1]!) : bsd[1]! };
  return undefined;
}

async function digestOf(ctx: BuiltinContext, operand: string, kind: DigestKind): Promise<string> {
  const hash = createHash(kind.algorithm);
  for await (const chunk of operandChunks(ctx, operand)) hash.update(chunk);
  return hash.digest('hex');
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

interface CheckOptions {
  quiet: boolean;
  status: boolean;
  warn: boolean;
  strict: boolean;
}

async function checkFile(ctx: BuiltinContext, listing: string, kind: DigestKind, o: CheckOptions): Promise<number> {
  let ok = 0;
  let mismatched = 0;
  let unreadable = 0;
  let malformed = 0;
  let lineNo = 0;
  const shown = isStdin(listing) ? 'standard input' : listing;
  for await (const raw of splitLines(operandChunks(ctx, listing))) {
    lineNo++;
    const line = raw.toString('utf8');
    if (/^\s*(#.*)?$/.test(line.replace(/\n$/, ''))) continue;
    const entry = parseCheckLine(line, kind);
    if (!entry) {
      malformed++;
      if (o.warn) await fail(ctx.stderr, kind.name, `${shown}: ${lineNo}: improperly formatted ${kind.tag} checksum line`);
      continue;
    }
    // coreutils escapes a name in check output only when it holds a newline.
    const printed = /[\n\r]/.test(entry.name) ? escapeName(entry.name) : { escaped: false, text: entry.name };
    const label = `${printed.escaped ? '\\' : ''}${printed.text}`;
    let actual: string;
    try {
      actual = await digestOf(ctx, entry.name, kind);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      unreadable++;
      await fail(ctx.stderr, kind.name, `${entry.name}: ${errnoMessage(err)}`);
      if (!o.status) await write(ctx.stdout, `${label}: FAILED open or read\n`);
      continue;
    }
    if (actual === entry.hash) {
      ok++;
      if (!o.quiet && !o.status) await write(ctx.stdout, `${label}: OK\n`);
    } else {
      mismatched++;
      if (!o.status) await write(ctx.stdout, `${label}: FAILED\n`);
    }
  }
  if (ok + mismatched + unreadable === 0) {
    return fail(ctx.stderr, kind.name, `${isStdin(listing) ? "'standard input'" : listing}: no properly formatted checksum lines found`);
  }
  if (!o.status) {
    if (malformed > 0) await fail(ctx.stderr, kind.name, `WARNING: ${plural(malformed, 'line is', 'lines are')} improperly formatted`);
    if (unreadable > 0) await fail(ctx.stderr, kind.name, `WARNING: ${plural(unreadable, 'listed file', 'listed files')} could not be read`);
    if (mismatched > 0) await fail(ctx.stderr, kind.name, `WARNING: ${plural(mismatched, 'computed checksum', 'computed checksums')} did NOT match`);
  }
  return mismatched + unreadable > 0 || (o.strict && malformed > 0) ? 1 : 0;
}

export async function runChecksum(args: string[], ctx: BuiltinContext, kind: DigestKind): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'bctw',
    long: { binary: false, check: false, text: false, tag: false, quiet: false, status: false, warn: false, strict: false },
  });
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  let status = 0;
  if (opts.has('c') || opts.has('check')) {
    const o = { quiet: opts.has('quiet'), status: opts.has('status'), warn: opts.has('w') || opts.has('warn'), strict: opts.has('strict') };
    for (const listing of operands) {
      try {
        status = Math.max(status, await checkFile(ctx, listing, kind, o));
      } catch (err) {
        if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
        status = await fail(ctx.stderr, kind.name, `${listing}: ${errnoMessage(err)}`);
      }
    }
    return status;
  }
  const marker = opts.has('b') || opts.has('binary') ? '*' : ' ';
  for (const operand of operands) {
    try {
      const digest = await digestOf(ctx, operand, kind);
      const name = escapeName(operand);
      const line = opts.has('tag')
        ? `${name.escaped ? '\\' : ''}${kind.tag} (${name.text}) = ${digest}\n`
        : `${name.escaped ? '\\' : ''}${digest} ${marker}${name.text}\n`;
      await write(ctx.stdout, line);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await fail(ctx.stderr, kind.name, `${operand}: ${errnoMessage(err)}`);
    }
  }
  return status;
}

export function checksumUsage(kind: DigestKind, bits: number): string {
  return `Usage: ${kind.name} [-bct] [--tag] [FILE]...
Print or check ${kind.tag} (${bits}-bit) checksums, exactly as coreutils does.
With no FILE, or when FILE is -, read standard input.

  -b, --binary   mark files with '*' (no effect on the digest)
  -t, --text     mark files with ' ' (default)
      --tag      BSD-style output: ${kind.tag} (FILE) = HASH
  -c, --check    read checksums from the FILEs and check them
With --check:
      --quiet    don't print OK for each verified file
      --status   print nothing; the exit status tells
  -w, --warn     warn about improperly formatted lines
      --strict   exit 1 for improperly formatted lines`;
}

/** The built-in for one algorithm (md5sum, sha256sum); `label` names it in the summary. */
export function checksumBuiltin(kind: DigestKind, label: string): Builtin {
  return fileBuiltin({
    name: kind.name,
    summary: `print or check ${label} checksums`,
    usage: checksumUsage(kind, kind.hexLength * 4),
    main: (args, ctx) => runChecksum(args, ctx, kind),
  });
}
