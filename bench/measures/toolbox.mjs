// 6. Toolbox: extracting a 100 MiB tarball of 2,000 files. breakglassd's `toolbox add`
// (streamed over the SSH channel, staged and renamed into the toolbox dir on tmpfs)
// against `tar -x` over OpenSSH and Dropbear, and local GNU tar, all into tmpfs.
import { mkdirSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../lib/proc.mjs';
import { manyFiles } from '../lib/files.mjs';

function countFiles(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    count += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  }
  return count;
}

export async function measureToolbox(ctx) {
  const files = ctx.quick ? 20 : 2000;
  const fileSize = ctx.quick ? 16 * 1024 : Math.floor((100 * 2 ** 20) / 2000);
  const runs = ctx.quick ? 1 : 5;
  const columns = [...ctx.names, 'local'];
  const section = ctx.section('toolbox', `Toolbox extraction, ${(files * fileSize / 2 ** 20).toFixed(files * fileSize < 10 * 2 ** 20 ? 1 : 0)} MiB tarball of ${files} files into tmpfs`, {
    columns,
    ratios: [['breakglassd', 'openssh'], ['breakglassd', 'local']],
  });
  const commands = Object.fromEntries(ctx.names.map((name) => [name, name === 'breakglassd' ? 'toolbox add < x.tar' : 'tar -x -C /dev/shm/…/DIR < x.tar']));
  commands.local = 'tar -x -C /dev/shm/…/DIR -f x.tar';
  const row = section.row('extract the tarball', 'ms', 'lower', { target: { column: 'breakglassd', peer: 'openssh', maxRatio: 1.5 }, commands });
  section.command("ssh $OPTS 127.0.0.1 'toolbox add' < x.tar   # breakglassd; then `toolbox clear` (untimed)");
  section.command("ssh $OPTS 127.0.0.1 'tar -x -C /dev/shm/…/DIR' < x.tar   # OpenSSH, Dropbear");
  section.command('tar -x -C /dev/shm/…/DIR -f x.tar   # local GNU tar, no SSH');

  const work = join(ctx.ws.shm, 'toolbox-bench');
  const tree = join(work, 'tree');
  manyFiles(tree, 'benchtools', files, fileSize);
  const tarball = join(work, 'x.tar');
  const made = await run('tar', ['-c', '-f', tarball, '-C', tree, 'benchtools'], { timeoutMs: 120_000 });
  if (made.code !== 0) throw new Error(ctx.reason(made, 'tar -c'));
  rmSync(tree, { recursive: true, force: true });

  const extractTo = (name) => join(work, `out-${name}`);
  const attempt = async (name, record) => {
    if (row.failed(name)) return;
    const dir = extractTo(name);
    let result;
    if (name === 'local') {
      mkdirSync(dir, { recursive: true });
      result = await run('tar', ['-x', '-C', dir, '-f', tarball], { timeoutMs: 120_000 });
    } else if (name === 'breakglassd') {
      result = await ctx.ssh(name, 'toolbox add', { inputFile: tarball, timeoutMs: 120_000 });
    } else {
      mkdirSync(dir, { recursive: true });
      result = await ctx.ssh(name, `tar -x -C ${dir}`, { inputFile: tarball, timeoutMs: 120_000 });
    }
    if (result.code !== 0) {
      row.fail(name, ctx.reason(result, name === 'breakglassd' ? 'toolbox add' : 'tar -x'));
      return;
    }
    const landed = name === 'breakglassd' ? join(ctx.ws.shm, 'toolbox', 'benchtools') : join(dir, 'benchtools');
    let count = 0;
    try {
      count = countFiles(landed);
    } catch {
      // Counted as 0 below.
    }
    if (count !== files) {
      row.fail(name, `${count} of ${files} files arrived in ${landed}`);
    } else if (record) {
      row.add(name, result.ms);
    }
    if (name === 'breakglassd') {
      const cleared = await ctx.ssh(name, 'toolbox clear', { timeoutMs: 30_000 });
      if (cleared.code !== 0) row.fail(name, ctx.reason(cleared, 'toolbox clear'));
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const live = [...ctx.live(), 'local'];
  for (const name of ctx.names) if (ctx.unavailable.has(name)) row.fail(name, ctx.unavailable.get(name));
  if (!ctx.quick) for (const name of live) await attempt(name, false);
  for (let i = 0; i < runs; i++) {
    ctx.checkTime();
    for (const name of live) await attempt(name, true);
  }
  rmSync(work, { recursive: true, force: true });
  section.note(`${runs} interleaved run${runs === 1 ? "" : "s"} after ${ctx.quick ? "no" : "one untimed"} warm-up run; each run checks that all ${files} files arrived, then removes them (breakglassd: \`toolbox clear\`, untimed). The target compares with \`tar -x\` over OpenSSH (same transport); the local-tar ratio shows the cost of the SSH channel itself.`);
}
