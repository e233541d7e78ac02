// /proc/PID/mountinfo (proc(5), Documentation/filesystems/proc.rst §3.5):
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)   (10)         (11)
// Paths escape space, tab, newline and backslash as \ooo octal.

export interface MountEntry {
  id: number;
  parentId: number;
  major: number;
  minor: number;
  /** Root of the mount within the file system (a bind mount's source dir). */
  root: string;
  mountPoint: string;
  /** Per-mount (VFS) options: rw/ro, nosuid, relatime, … */
  mountOptions: string;
  /** Optional fields: `shared:N`, `master:N`, … */
  optional: string[];
  fsType: string;
  source: string;
  /** Per-superblock options. */
  superOptions: string;
}

export function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

export function parseMountinfoLine(line: string): MountEntry {
  const fields = line.split(' ');
  const dash = fields.indexOf('-', 6);
  if (fields.length < 10 || dash === -1 || dash + 3 > fields.length) {
    throw new Error(`mountinfo: malformed line: ${JSON.stringify(line)}`);
  }
  const [major, minor] = fields[2]!.split(':').map(Number);
  return {
    id: Number(fields[0]),
    parentId: Number(fields[1]),
    major: major ?? 0,
    minor: minor ?? 0,
    root: unescapeOctal(fields[3]!),
    mountPoint: unescapeOctal(fields[4]!),
    mountOptions: fields[5]!,
    optional: fields.slice(6, dash),
    fsType: unescapeOctal(fields[dash + 1]!),
    source: unescapeOctal(fields[dash + 2]!),
    superOptions: fields.slice(dash + 3).join(' '),
  };
}

/** Every entry, in mount order (the order `mount` and /proc/self/mounts list them). */
export function parseMountinfo(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseMountinfoLine);
}

/**
 * The option string util-linux's `mount` prints: VFS options, then super options, with
 * "rw"/"ro" merged into a single leading flag (libmount merge_optstr()).
 */
export function mergeMountOptions(vfs: string, fs: string): string {
  if (vfs === fs) return vfs;
  const options = [...vfs.split(','), ...fs.split(',')].filter(Boolean);
  const removeFirst = (name: string): boolean => {
    const i = options.indexOf(name);
    if (i === -1) return false;
    options.splice(i, 1);
    return true;
  };
  const rw = Number(removeFirst('rw')) + Number(removeFirst('rw'));
  let ro = 0;
  if (rw !== 2) {
    ro += Number(removeFirst('ro'));
    if (ro + rw < 2) ro += Number(removeFirst('ro'));
  }
  return [ro ? 'ro' : 'rw', ...options].join(',');
}

/** util-linux `mount` list line: `SOURCE on DIR type TYPE (OPTIONS)`. */
export function formatMountLine(entry: MountEntry): string {
  return `${entry.source} on ${entry.mountPoint} type ${entry.fsType} (${mergeMountOptions(entry.mountOptions, entry.superOptions)})`;
}

/** One line of /proc/self/mounts (fstab format) for comparison: `SOURCE DIR TYPE OPTS 0 0`. */
export function parseMountsLine(line: string): { source: string; mountPoint: string; fsType: string; options: string } {
  const [source = '', mountPoint = '', fsType = '', options = ''] = line.split(' ');
  return { source: unescapeOctal(source), mountPoint: unescapeOctal(mountPoint), fsType, options };
}
