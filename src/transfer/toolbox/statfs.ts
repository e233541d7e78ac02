// Which file system holds the toolbox: tools on tmpfs vanish at reboot, on flash they
// would survive (DESIGN.md "Toolbox"). statfs(2) f_type values from linux/magic.h.
import { statfs } from 'node:fs/promises';

export const TMPFS_MAGIC = 0x01021994;
export const RAMFS_MAGIC = 0x858458f6;

/** True when `dir` lives on tmpfs (or ramfs, which is just as volatile). */
export async function isVolatileFs(dir: string): Promise<boolean> {
  const stats = await statfs(dir);
  // f_type is an unsigned long; Node may hand it back as a negative 32-bit int on some
  // builds, so compare the unsigned 32-bit value.
  const type = stats.type >>> 0;
  return type === TMPFS_MAGIC || type === RAMFS_MAGIC;
}
