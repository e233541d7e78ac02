// 2. File transfer with OpenSSH's sftp and scp: a random file to and from a tmpfs path,
// MB/s (10^6 bytes per second of client wall time), default cipher and AES-128-GCM.
// breakglassd's SFTP starts in the toolbox dir, so every path here is absolute.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEST } from '../lib/servers.mjs';
import { randomFile, sameContent } from '../lib/files.mjs';
import { cpuMsWithReaped } from '../lib/procfs.mjs';
import { sleep } from '../lib/proc.mjs';

const CIPHERS = [
  { id: undefined, label: "default cipher (the client's pick: chacha20-poly1305 with OpenSSH and Dropbear; aes128-gcm with breakglassd, which offers no chacha20 and only AES-GCM to clients that have it)" },
  { id: 'aes128-gcm@openssh.com', label: '-c aes128-gcm@openssh.com' },
];

function operations(ctx, work) {
  const sftpBatch = (name, lines) => {
    const file = join(work, `batch-${name}-${lines.length}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  return [
    {
      id: 'sftp-up', label: 'sftp put (upload)', shows: 'sftp $OPTS -b BATCH 127.0.0.1   # put SRC /dev/shm/…/up',
      run: (name, src, remote, cipher) => ctx.tool(name, 'sftp', ['-b', sftpBatch(name, [`put ${src} ${remote}`])], { cipher, timeoutMs: ctx.quick ? 30_000 : 300_000 }),
      produced: (src, remote) => remote,
    },
    {
      id: 'sftp-down', label: 'sftp get (download)', shows: 'sftp $OPTS -b BATCH 127.0.0.1   # get SRC /dev/shm/…/down',
      run: (name, src, local, cipher) => ctx.tool(name, 'sftp', ['-b', sftpBatch(name, [`get ${src} ${local}`])], { cipher, timeoutMs: ctx.quick ? 30_000 : 300_000 }),
      produced: (src, local) => local,
    },
    {
      id: 'scp-up', label: 'scp upload (SFTP protocol)', shows: 'scp $OPTS SRC 127.0.0.1:/dev/shm/…/up',
      run: (name, src, remote, cipher) => ctx.tool(name, 'scp', [src, `${DEST}:${remote}`], { cipher, timeoutMs: ctx.quick ? 30_000 : 300_000 }),
      produced: (src, remote) => remote,
    },
    {
      id: 'scp-down', label: 'scp download (SFTP protocol)', shows: 'scp $OPTS 127.0.0.1:SRC /dev/shm/…/down',
      run: (name, src, local, cipher) => ctx.tool(name, 'scp', [`${DEST}:${src}`, local], { cipher, timeoutMs: ctx.quick ? 30_000 : 300_000 }),
      produced: (src, local) => local,
    },
    {
      id: 'scp-O-up', label: 'scp -O upload (legacy scp protocol)', shows: 'scp -O $OPTS SRC 127.0.0.1:/dev/shm/…/up',
      run: (name, src, remote, cipher) => ctx.tool(name, 'scp', ['-O', src, `${DEST}:${remote}`], { cipher, timeoutMs: ctx.quick ? 30_000 : 300_000 }),
      produced: (src, remote) => remote,
    },
  ];
}

export async function measureTransfer(ctx) {
  const size = ctx.quick ? 4 << 20 : 256 << 20;
  const reps = ctx.quick ? 1 : 3;
  // A soft budget: no new round starts after it, so a slow machine still ends in time.
  const budgetMs = ctx.quick ? 60_000 : 270_000;
  const sectionStart = Date.now();
  let done = 0;
  const section = ctx.section('transfer', `File transfer, ${size >> 20} MiB random file, tmpfs to tmpfs`, {
    columns: ctx.names,
    ratios: ctx.peerRatios(),
  });
  const work = join(ctx.ws.shm, 'transfer');
  mkdirSync(work, { recursive: true });
  const src = join(work, 'src.bin');
  await randomFile(src, size);
  const ops = operations(ctx, work);
  const cases = [];
  for (const op of ops) {
    for (const cipher of CIPHERS) {
      const sftpTarget = op.id.startsWith('sftp') ? { column: 'breakglassd', peer: 'openssh', minRatio: 1.0 } : undefined;
      const row = section.row(`${op.label}, ${cipher.label}`, 'MB/s', 'higher', { target: sftpTarget });
      // Server CPU per MiB: robust where wall time is not (a busy, shared machine).
      const cpuRow = op.id.startsWith('sftp') ? section.row(`server CPU per MiB, ${op.label}, ${cipher.label}`, 'ms/MiB', 'lower') : undefined;
      cases.push({ op, cipher, row, cpuRow });
    }
    section.command(op.shows);
  }
  // A server that does not offer a cipher gets the reason once, not a failed transfer.
  for (const cipher of CIPHERS.filter((c) => c.id)) {
    for (const name of ctx.live()) {
      const probe = await ctx.ssh(name, 'true', { cipher: cipher.id, logLevel: 'INFO', timeoutMs: 20_000 });
      if (probe.code === 0) continue;
      const reason = ctx.reason(probe, `ssh -c ${cipher.id}`);
      for (const c of cases) if (c.cipher === cipher) for (const r of [c.row, c.cpuRow]) r?.fail(name, reason);
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    if (rep > 0 && Date.now() - sectionStart > budgetMs) break;
    done = rep + 1;
    for (const { op, cipher, row, cpuRow } of cases) {
      for (const name of ctx.live()) {
        ctx.checkTime();
        if (row.failed(name)) continue;
        const target = join(work, `${op.id}-${name}.bin`);
        rmSync(target, { force: true });
        const server = ctx.servers.get(name);
        const cpuBefore = cpuMsWithReaped(server.pid);
        const result = await op.run(name, src, target, cipher.id);
        // sshd and Dropbear reap the connection's processes moments after the client exits.
        if (cpuRow) await sleep(300);
        const cpuUsed = cpuMsWithReaped(server.pid) - cpuBefore;
        const produced = op.produced(src, target);
        let size2 = -1;
        try {
          size2 = statSync(produced).size;
        } catch {
          // Missing: reported below.
        }
        if (result.code !== 0 || size2 !== size) {
          row.fail(name, ctx.reason(result, op.label, `${size2 < 0 ? 'no file' : `${size2} bytes`} at the destination`));
          cpuRow?.fail(name, row.errors[name]);
        } else if (rep === 0 && !(await sameContent(src, produced))) {
          row.fail(name, `${op.label}: the copy differs from the source`);
          cpuRow?.fail(name, row.errors[name]);
        } else {
          row.add(name, size / 1e6 / (result.ms / 1000));
          if (cpuRow && Number.isFinite(cpuUsed)) cpuRow.add(name, cpuUsed / (size / 2 ** 20));
        }
        rmSync(target, { force: true });
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
  section.note(`${done} interleaved run${done === 1 ? '' : 's'}${done < reps ? ` (of ${reps} planned; the section's ${budgetMs / 1000} s budget ran out)` : ''} per server, operation and cipher; the first copy of each is compared byte for byte with the source. OpenSSH sshd serves SFTP with \`internal-sftp\`; Dropbear runs /usr/lib/sftp-server (OpenSSH's) for SFTP and \`scp -t\` for scp -O. Default ssh receive windows of each server (Dropbear's is 24 KiB unless -W is given). "Server CPU per MiB" is user + system time of the server and of the per-connection processes it reaped (/proc/PID/stat utime, stime, cutime, cstime), in 10 ms ticks.`);
}
