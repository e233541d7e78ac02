import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

describe('env, export, unset', () => {
  it('env prints NAME=VALUE lines including the computed PATH', async () => {
    const r = await runLines('env');
    expect(r.stdout).toMatch(/^LANG=C$/m);
    expect(r.stdout).toMatch(/^PATH=\/user:\/gokrazy:/m);
    expect(r.stdout).toMatch(/^HOME=\/root$/m);
  });
  it('env VAR=x CMD, env -i, env -u', async () => {
    const r = await runLines(['env A=1 B=2 sh -c "echo \\$A\\$B"', 'env -i X=y env', 'env -u LANG env | grep -c ^LANG=']);
    expect(r.stdout).toBe('12\nX=y\n0\n');
  });
  it('env with a missing command is 127', async () => {
    expect(await runLines('env nosuch')).toMatchObject({ code: 127, stderr: 'sh: nosuch: not found\n' });
  });
  it('export lists and sets; unset removes; bad names are errors', async () => {
    const r = await runLines(['A=1', 'export A B=two', 'export | grep -E "^export (A|B)="', "export C=\"it's\"; export -p | grep ^export\\ C", 'unset A; echo "[$A]"', 'export 1x=2']);
    expect(r.stdout).toBe("export A='1'\nexport B='two'\nexport C='it'\\''s'\n[]\n");
    expect(r.stderr).toBe('export: 1x=2: bad variable name\n');
    expect(r.code).toBe(1);
    expect(await runLines('unset -f f')).toMatchObject({ code: 1, stderr: expect.stringContaining('functions are not supported') });
  });
});
