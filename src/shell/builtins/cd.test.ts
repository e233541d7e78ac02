import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

describe('cd and pwd', () => {
  it.each([
    [['cd /usr/bin', 'pwd'], '/usr/bin\n'],
    [['cd /usr', 'cd bin', 'pwd', 'echo $PWD $OLDPWD'], '/usr/bin\n/usr/bin /usr\n'],
    [['cd /', 'cd', 'pwd'], '/root\n'],
    [['cd /usr', 'cd /', 'cd -'], '/usr\n'],
    [['cd /usr/bin/..', 'pwd'], '/usr\n'],
  ])('%j', async (lines, expected) => {
    expect((await runLines(lines)).stdout).toBe(expected);
  });
  it('explains failures', async () => {
    expect(await runLines('cd /nonexistent')).toMatchObject({ code: 1, stderr: "cd: can't cd to /nonexistent: No such file or directory\n" });
    expect(await runLines('cd /etc/passwd')).toMatchObject({ code: 1, stderr: "cd: can't cd to /etc/passwd: Not a directory\n" });
    expect(await runLines('cd a b')).toMatchObject({ code: 1, stderr: 'cd: too many arguments\n' });
    expect(await runLines('cd -')).toMatchObject({ code: 1, stderr: 'cd: OLDPWD not set\n' });
  });
});
