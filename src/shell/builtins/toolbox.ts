// toolbox: manage the uploaded tools (DESIGN.md "Toolbox"). `toolbox add` streams a
// tar / tar.gz from stdin (or a file) through the same safe extraction as an SFTP or
// scp upload, and prints the manifest.
import type { Readable } from 'node:stream';
import { formatSize } from '../../common/index.js';
import { openFileReadable } from '../files/index.js';
import type { OpenFile } from '../files/index.js';
import type { BuiltinContext, ToolboxHandle } from '../types.js';
import { fail } from './io.js';
import { write, modeString } from '../../os/index.js';
import { fileBuiltin, UsageProblem } from './fs/index.js';

const USAGE = `usage: toolbox add [FILE]   unpack a tar or tar.gz (default: stdin) into the toolbox
       toolbox list         list the toolbox's files with sizes
       toolbox clear        remove everything from the toolbox

The toolbox directory is first on PATH, so new tools work on the next command, in
this shell and every other. Uploading debug.tar with \`scp debug.tar dev:\` does the
same as \`ssh dev toolbox add < debug.tar\`. Archives may not contain absolute paths,
"..", links leaving the toolbox, device nodes or FIFOs; setuid/setgid bits are
dropped; a refused or cut upload leaves the toolbox as it was. A busybox in the
archive gets its applet links (ls, vi, …).
`;

interface ManifestLike {
  files: number;
  bytes: number;
  sha256: string;
  applets?: number;
  appletsSkipped?: string;
}

type AbortableToolbox = ToolboxHandle & {
  add(input: Readable, label: string, options: { signal: AbortSignal }): Promise<ManifestLike>;
};

type Subcommand = (args: string[], ctx: BuiltinContext, toolbox: ToolboxHandle) => Promise<number>;

async function add(args: string[], ctx: BuiltinContext, toolbox: ToolboxHandle): Promise<number> {
  if (args.length > 1) throw new UsageProblem(`add takes at most one FILE, got ${args.length}`);
  const file = args[0];
  const label = file && file !== '-' ? file : 'stdin';
  let opened: OpenFile | undefined;
  let input: Readable = ctx.stdin;
  let manifest: ManifestLike;
  try {
    if (file && file !== '-') {
      opened = await ctx.fs.open(ctx.resolve(file), 'r');
      input = openFileReadable(opened);
    }
    // src/transfer's toolbox takes an abort signal (^C) as a third argument.
    manifest = await (toolbox as AbortableToolbox).add(input, label, { signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return fail(ctx.stderr, 'toolbox', `${label}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (input !== ctx.stdin) input.destroy();
    await opened?.close().catch(() => undefined);
  }
  const lines = [
    `toolbox: unpacked ${label === 'stdin' ? 'the archive read from standard input' : label} into ${toolbox.dir}`,
    `  files   ${manifest.files}`,
    `  bytes   ${manifest.bytes} (${formatSize(manifest.bytes)})`,
    `  sha256  ${manifest.sha256}`,
  ];
  if (manifest.applets) lines.push(`  applets ${manifest.applets} links to busybox`);
  if (manifest.appletsSkipped) lines.push(`  applets none: ${manifest.appletsSkipped}`);
  await write(ctx.stdout, `${lines.join('\n')}\n`);
  return 0;
}

async function list(args: string[], ctx: BuiltinContext, toolbox: ToolboxHandle): Promise<number> {
  if (args.length > 0) throw new UsageProblem('list takes no arguments');
  const entries = await toolbox.list();
  let total = 0;
  for (const entry of entries) {
    if ((entry.mode & 0o170000) === 0o100000) total += entry.size;
    await write(ctx.stdout, `${modeString(entry.mode)} ${String(entry.size).padStart(10)}  ${entry.path}\n`);
  }
  await write(ctx.stdout, `${entries.length} files, ${total} bytes (${formatSize(total)}) in ${toolbox.dir}\n`);
  return 0;
}

async function clear(args: string[], ctx: BuiltinContext, toolbox: ToolboxHandle): Promise<number> {
  if (args.length > 0) throw new UsageProblem('clear takes no arguments');
  await toolbox.clear();
  await write(ctx.stdout, `toolbox: emptied ${toolbox.dir}\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, Subcommand> = { add, list, ls: list, clear };

export const toolbox = fileBuiltin({
  name: 'toolbox',
  summary: 'add, list or clear the uploaded tools (tar / tar.gz)',
  usage: USAGE,
  usageCode: 2,
  main: async (args, ctx) => {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new UsageProblem('missing subcommand: add, list or clear');
    const run = SUBCOMMANDS[sub];
    if (!run) throw new UsageProblem(`unknown subcommand ${JSON.stringify(sub)}: use add, list or clear`);
    const handle = ctx.services.toolbox;
    if (!handle) return fail(ctx.stderr, 'toolbox', 'this session has no toolbox (breakglassd --toolbox-dir)');
    return run(rest, ctx, handle);
  },
});
