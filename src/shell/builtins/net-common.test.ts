import { describe, expect, it } from 'vitest';
import { JsonArrayStream, parseSocketFlags, socketSelection } from './net-common.js';
import { OptionError } from '../options.js';

const LONG = { tcp: 't', udp: 'u', raw: 'w', unix: 'x', listening: 'l', all: 'a' };

function select(args: string[], unixByDefault: boolean) {
  return socketSelection(parseSocketFlags(args, 'tuwxla46', LONG).has, unixByDefault);
}

describe('socketSelection', () => {
  it('lists TCP and UDP connections by default, Unix ones only where the tool does (ss, not netstat)', () => {
    expect(select([], false)).toEqual({ tcp: true, udp: true, raw: false, unix: false, filter: 'connected', ipv4: true, ipv6: true });
    expect(select([], true).unix).toBe(true);
    expect(select(['-4'], true)).toMatchObject({ unix: false, ipv4: true, ipv6: false });
  });

  it('takes long aliases like their letters and -x alone as Unix only', () => {
    expect(select(['--tcp', '--listening'], true)).toMatchObject({ tcp: true, udp: false, unix: false, filter: 'listening' });
    expect(select(['-x'], false)).toMatchObject({ tcp: false, udp: false, raw: false, unix: true });
    expect(select(['-la', '-46'], false)).toMatchObject({ filter: 'all', ipv4: true, ipv6: true });
  });

  it('rejects an unknown flag', () => {
    expect(() => parseSocketFlags(['-z'], 'tu', LONG)).toThrow(OptionError);
  });
});

describe('JsonArrayStream', () => {
  it('writes a valid JSON array piece by piece, and [] when empty', () => {
    const empty = new JsonArrayStream();
    expect(JSON.parse(empty.end())).toEqual([]);
    const a = new JsonArrayStream();
    const text = a.item({ n: 1 }) + a.item({ n: 2 }) + a.end();
    expect(text).toBe('[\n{"n":1},\n{"n":2}\n]\n');
  });
});
