import { lstatSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { longLine, majorMinor } from './ls-entry.js';
import { lsDate } from '../../../os/format.js';
import { parseIdFile } from '../../../os/id-names.js';

describe('longLine', () => {
  const stats = lstatSync('/dev/null');
  const now = new Date();
  it('shows numeric ids when there is no passwd/group entry', () => {
    const ids = { user: () => undefined, group: () => undefined };
    const fake = Object.assign(Object.create(Object.getPrototypeOf(stats)) as typeof stats, stats, { uid: 4242, gid: 77 });
    expect(longLine({ name: 'null', path: '/dev/null', stats: fake }, 'null', { human: false, numeric: false, ids, now })).toMatch(
      /^crw-rw-rw- +1 4242 {5}77 {7} {3}1, {3}3 .+ null$/,
    );
  });
  it('cuts long names at 8 characters like busybox', () => {
    const ids = { user: () => 'averylongname', group: () => 'grp' };
    expect(longLine({ name: 'null', path: '/dev/null', stats }, 'null', { human: false, numeric: false, ids, now })).toContain(' averylon grp      ');
  });
  it('splits device numbers as glibc does', () => {
    expect(majorMinor(0x0103)).toEqual([1, 3]);
    expect(majorMinor(0xfe00)).toEqual([254, 0]);
    expect(majorMinor((259 << 8) | 5 | (1 << 20))).toEqual([259, 5 | 256]);
  });
});

describe('lsDate', () => {
  const now = new Date(2026, 10, 27, 10, 1);
  it('shows the time within six months and the year otherwise', () => {
    expect(lsDate(new Date(2026, 10, 2, 9, 5), now)).toBe('Nov  2 09:05');
    expect(lsDate(new Date(2020, 0, 2, 3, 4), now)).toBe('Jan  2  2020');
    expect(lsDate(new Date(2027, 0, 1), now)).toBe('Jan  1  2027');
  });
});

describe('parseIdFile', () => {
  it('maps ids to the first name and skips junk', () => {
    const map = parseIdFile('root:x:0:0::/root:/bin/sh\n# comment\nbad\nalias:x:0:0::/:/\nnobody:x:65534:65534::/:/');
    expect([map.get(0), map.get(65534), map.size]).toEqual(['root', 'nobody', 2]);
  });
});
