// dmesg over kmsg files larger than one read(2), so records are cut between reads, with
// a corrupt line, continuation lines, an unterminated last record, and the error paths.
// system-builtins.test.ts covers the basic format, -T, -w and the real /dev/kmsg.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeContext, runBuiltin } from '../../../test/helpers/builtin-ctx.js';
import { dmesg } from './dmesg.js';

const FIXTURE = resolve(import.meta.dirname, '../../../test/fixtures/proc');
const temp = mkdtempSync(join(tmpdir(), 'bg-dmesg-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A dev root whose kmsg holds `text`. */
function devWith(name: string, text: string): string {
  const dir = join(temp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'kmsg'), text);
  return dir;
}

// 600 records (~27 KiB, several 8 KiB reads): priority i % 8 in facility i % 3.
const RECORDS = Array.from({ length: 600 }, (_, i) => ({ prio: ((i % 3) << 3) | i % 8, seq: i, us: i * 1_234_567, message: `message number ${i}` }));
const kmsg =
  RECORDS.map((r) => `${r.prio},${r.seq},${r.us},-;${r.message}\n${r.seq % 10 === 0 ? ' SUBSYSTEM=net\n DEVICE=+net:eth0\n' : ''}`).join('') +
  'not a kmsg record\n' +
  '6,600,999000000,-;the last one, without a newline';
const big = devWith('big', kmsg);
const stamp = (us: number): string => `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]`;

describe('dmesg over a large kmsg file', () => {
  it('prints every record once, in order, across read boundaries', async () => {
    const r = await runBuiltin(dmesg, [], { services: { devRoot: big } });
    const expected = [...RECORDS.map((x) => `${stamp(x.us)} ${x.message}`), '[  999.000000] the last one, without a newline'];
    expect(r).toEqual({ code: 0, stdout: `${expected.join('\n')}\n`, stderr: '' });
  });
  it('filters levels given as a list and repeated, with -r prefixes', async () => {
    const r = await runBuiltin(dmesg, ['-r', '-l', 'err,warn', '--level', 'emerg'], { services: { devRoot: big } });
    const kept = RECORDS.filter((x) => [0, 3, 4].includes(x.prio & 7)).map((x) => `<${x.prio}>${stamp(x.us)} ${x.message}`);
    expect(r.stdout).toBe(`${kept.join('\n')}\n`);
  });
  it('streams JSON, one element a line', async () => {
    const lines = (await runBuiltin(dmesg, ['--json', '-l', 'debug'], { services: { devRoot: big } })).stdout.split('\n');
    const debug = RECORDS.filter((x) => (x.prio & 7) === 7);
    expect(lines).toHaveLength(debug.length + 2);
    expect(lines[0]).toBe(`[${JSON.stringify({ time_us: debug[0]!.us, level: 'debug', facility: debug[0]!.prio >> 3, sequence: debug[0]!.seq, message: debug[0]!.message })}`);
    expect(lines.at(-2)).toBe(']');
    expect(JSON.parse(lines.join('\n'))).toHaveLength(debug.length);
  });
  it('prints [] for JSON with nothing selected', async () => {
    const dev = devWith('one', '6,1,5,-;only info\n');
    expect((await runBuiltin(dmesg, ['--json', '-l', 'crit'], { services: { devRoot: dev } })).stdout).toBe('[]\n');
  });
  it('prints wall-clock times with -r -T', async () => {
    const dev = devWith('ctime', '14,1,5000000,-;hello\n');
    const r = await runBuiltin(dmesg, ['-rT'], { services: { devRoot: dev, procRoot: FIXTURE } });
    expect(r.stdout).toMatch(/^<14>\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\] hello\n$/);
  });
});

describe('dmesg errors', () => {
  it('rejects operands', async () => {
    const r = await runBuiltin(dmesg, ['extra'], { services: { devRoot: big } });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "dmesg: bad usage: unexpected argument 'extra'\nTry 'dmesg --help' for more information.\n" });
  });
  it('names the valid levels', async () => {
    const r = await runBuiltin(dmesg, ['-l', 'err,loud'], { services: { devRoot: big } });
    expect(r.stderr).toBe("dmesg: unknown level 'loud' (valid: emerg, alert, crit, err, warn, notice, info, debug)\nTry 'dmesg --help' for more information.\n");
  });
  it('explains a -T without the boot time', async () => {
    const r = await runBuiltin(dmesg, ['-T'], { services: { devRoot: big, procRoot: join(temp, 'noproc') } });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(new RegExp(`^dmesg: -T needs the boot time from ${join(temp, 'noproc')}/stat: `));
  });
  it('lets an unexpected read error through', async () => {
    const dev = join(temp, 'dir');
    mkdirSync(join(dev, 'kmsg'), { recursive: true });
    await expect(dmesg.run([], makeContext({ services: { devRoot: dev } }).ctx)).rejects.toThrow(/EISDIR/);
  });
  it('stops with 130 when aborted before reading', async () => {
    const t = makeContext({ services: { devRoot: big } });
    t.abort();
    expect(await dmesg.run([], t.ctx)).toBe(130);
    expect(t.stdout()).toBe('');
  });
});
