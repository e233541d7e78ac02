// Memory of a server as the kernel counts it: VmRSS / VmHWM from /proc/PID/status, summed
// over the server's process tree (sshd and Dropbear fork per connection; breakglassd is
// one process plus whatever a session runs).
import { readFileSync, readdirSync } from 'node:fs';

/** kB fields of /proc/PID/status as bytes, or undefined when the process is gone. */
export function statusOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => {
    const match = text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : 0;
  };
  const name = text.match(/^Name:\s+(.*)$/m)?.[1] ?? '?';
  return { pid, name, rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** PID → parent PID for every process (proc(5): field 4 of /proc/PID/stat, after the comm). */
function parentMap() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(afterComm[1]));
    } catch {
      // Exited while we looked.
    }
  }
  return parents;
}

/** The PIDs of root and all its descendants. */
export function treePids(root) {
  const children = new Map();
  for (const [pid, ppid] of parentMap()) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * RSS of the server's tree, leaving out processes named in `exclude` (the payload a
 * session runs, e.g. `sleep`, which is the same program for every server).
 */
export function treeMemory(root, exclude = []) {
  let rss = 0;
  let processes = 0;
  const main = statusOf(root);
  for (const pid of treePids(root)) {
    const status = statusOf(pid);
    if (!status || exclude.includes(status.name)) continue;
    rss += status.rss;
    processes++;
  }
  return { mainRss: main?.rss ?? 0, mainHwm: main?.hwm ?? 0, treeRss: rss, processes };
}

export function countNamed(root, name) {
  return treePids(root).filter((pid) => statusOf(pid)?.name === name).length;
}

/** CPU time (user + system) a process has used so far, in ms (proc(5): utime, stime in clock ticks of 1/100 s). */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of a process and of every descendant it has reaped (proc(5): utime + stime +
 * cutime + cstime), in ms: for sshd or Dropbear, whose per-connection processes have
 * exited and been waited for, this covers the work of the connection.
 */
export function cpuMsWithReaped(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}
