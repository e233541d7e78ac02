import { describe, expect, it } from 'vitest';
import { formatMountLine, mergeMountOptions, parseMountinfo, parseMountinfoLine } from './mountinfo.js';

describe('mountinfo', () => {
  it('parses fields, optional tags and octal escapes', () => {
    const e = parseMountinfoLine('50 27 0:40 /sub /mnt/my\\040disk rw,nosuid,relatime shared:2 master:1 - tmpfs my\\040tmp ro,size=1024k');
    expect(e).toEqual({
      id: 50, parentId: 27, major: 0, minor: 40, root: '/sub', mountPoint: '/mnt/my disk', mountOptions: 'rw,nosuid,relatime',
      optional: ['shared:2', 'master:1'], fsType: 'tmpfs', source: 'my tmp', superOptions: 'ro,size=1024k',
    });
  });
  it('parses a whole file, skipping blank lines', () => {
    const list = parseMountinfo('22 27 0:21 / /proc rw,relatime - proc proc rw\n\n27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n');
    expect(list.map((e) => e.mountPoint)).toEqual(['/proc', '/']);
  });
  it('rejects a line without the separator', () => {
    expect(() => parseMountinfoLine('22 27 0:21 / /proc rw,relatime proc proc rw')).toThrow(/malformed/);
  });
  // libmount merge_optstr(): one leading rw/ro, ro wins.
  it.each([
    ['rw,relatime', 'rw', 'rw,relatime'],
    ['rw,relatime', 'rw,size=12334432k,mode=755', 'rw,relatime,size=12334432k,mode=755'],
    ['ro,nosuid,nodev,relatime', 'ro,size=4k,mode=755', 'ro,nosuid,nodev,relatime,size=4k,mode=755'],
    ['rw,relatime', 'ro,errors=continue', 'ro,relatime,errors=continue'],
    ['ro,relatime', 'rw,cpu', 'ro,relatime,cpu'],
    ['rw', 'rw', 'rw'],
  ])('merges %s + %s → %s', (vfs, fs, merged) => {
    expect(mergeMountOptions(vfs, fs)).toBe(merged);
  });
  it('formats the util-linux line', () => {
    const [e] = parseMountinfo('27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n');
    expect(formatMountLine(e!)).toBe('/dev/vda on / type ext4 (rw,relatime,discard)');
  });
});
