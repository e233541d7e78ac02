// sysctl's -p argument forms and load results, pinned before runSysctl was split (issue 10);
// reads, writes and errors are in system-builtins.test.ts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltin } from '../../../test/helpers/builtin-ctx.js';
import { sysctl } from './sysctl.js';

const FIXTURE = resolve(import.meta.dirname, '../../../test/fixtures/proc');
const temp = mkdtempSync(join(tmpdir(), 'bg-sysctl-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function procCopy(name: string): { services: { procRoot: string }; root: string } {
  const root = join(temp, name);
  cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
  return { services: { procRoot: root }, root };
}

describe('sysctl -p', () => {
  it.each([['--load=FILE', 'long'], ['-pFILE', 'attached'], ['-p FILE', 'separate']])('takes the file as %s and echoes each value set', async (form, dir) => {
    const o = procCopy(dir);
    const conf = join(temp, `${dir}.conf`);
    writeFileSync(conf, 'vm.swappiness = 7\nnet.ipv4.ip_forward=0\n');
    const args = form === '-p FILE' ? ['-p', conf] : [form.replace('FILE', conf)];
    const r = await runBuiltin(sysctl, args, o);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'vm.swappiness = 7\nnet.ipv4.ip_forward = 0\n', '']);
    expect(readFileSync(`${o.root}/sys/vm/swappiness`, 'utf8')).toBe('7\n');
  });
  it('goes on after a failing line and then exits 1, unless the line starts with -', async () => {
    const o = procCopy('fail');
    const conf = join(temp, 'fail.conf');
    writeFileSync(conf, 'no.such.key = 1\n-also.missing = 2\nvm.swappiness = 9\n');
    const r = await runBuiltin(sysctl, ['-p', conf, '-q'], o);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'sysctl: cannot stat /proc/sys/no/such/key: No such file or directory\n']);
    expect(readFileSync(`${o.root}/sys/vm/swappiness`, 'utf8')).toBe('9\n');
  });
  it('says which file it cannot read', async () => {
    const r = await runBuiltin(sysctl, ['-p', join(temp, 'missing.conf')], procCopy('missing'));
    expect([r.code, r.stderr]).toEqual([1, `sysctl: ${join(temp, 'missing.conf')}: No such file or directory\n`]);
  });
});

describe('sysctl --json', () => {
  it('collects -a into one object', async () => {
    const r = await runBuiltin(sysctl, ['--json', '-a', 'ip_forward'], { services: { procRoot: FIXTURE } });
    expect(JSON.parse(r.stdout)).toEqual({ 'net.ipv4.ip_forward': '1' });
  });
});
