import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

const alive = (pid: number): Promise<boolean> =>
  readFile(`/proc/${pid}/stat`, 'utf8').then(
    (s) => !/^\d+ \(.*\) Z/.test(s),
    () => false,
  );

describe('kill', () => {
  it('-l lists "N) NAME" lines and translates both ways', async () => {
    const r = await runLines(['kill -l', 'kill -l 15 KILL sigint 130']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(' 1) HUP');
    expect(lines).toContain(' 9) KILL');
    expect(lines).toContain('15) TERM');
    expect(r.stdout.endsWith('TERM\n9\n2\nINT\n')).toBe(true);
  });

  it('kill -9 PID, kill -TERM %1, kill -s HUP', async () => {
    const r = await runLines(['/bin/sleep 30 &', '/bin/sleep 31 &', '/bin/sleep 32 &', 'jobs -p']);
    const [a, b, c] = r.stdout.trim().split('\n').map(Number) as [number, number, number];
    const k = await r.interp.runLine(`kill -9 ${a}; kill -TERM %2; kill -s HUP ${c}; wait %2; echo $?`);
    expect(k.code).toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    expect([await alive(a), await alive(b), await alive(c)]).toEqual([false, false, false]);
    await r.interp.close(200);
  });

  it('reports bad signals, missing jobs and processes', async () => {
    expect(await runLines('kill -NOPE 1')).toMatchObject({ code: 2, stderr: "kill: bad signal name 'NOPE'\n" });
    expect(await runLines('kill %9')).toMatchObject({ code: 1, stderr: 'kill: %9: no such job\n' });
    expect(await runLines('kill 999999999')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^kill: can't kill pid 999999999: /) });
    expect(await runLines('kill')).toMatchObject({ code: 2 });
    expect(await runLines('kill -l 99')).toMatchObject({ code: 1, stderr: 'kill: 99: invalid signal number\n' });
  });
});
