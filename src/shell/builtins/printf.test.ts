import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';
import { formatAll } from './printf.js';

describe('printf', () => {
  it.each([
    ['%s|%5s|%-5s|%.2s', ['a', 'b', 'c', 'xyz'], 'a|    b|c    |xy'],
    ['%d %i %+d % d %05d %-4d|', ['42', '-7', '3', '3', '-42', '9'], '42 -7 +3  3 -0042 9   |'],
    ['%x %X %o %#x %#o %u', ['255', '255', '8', '255', '8', '-1'], 'ff FF 10 0xff 010 18446744073709551615'],
    ['%.3f %8.2f %e %g %g', ['3.14159', '2.5', '12345.678', '0.0001', '100000'], '3.142     2.50 1.234568e+04 0.0001 100000'],
    ['%c%c', ['hello', 'world'], 'hw'],
    ['%d', ["'A"], '65'],
    ['%d', ['0x1f'], '31'],
    ['%%|%b|', ['a\\tb'], '%|a\tb|'],
    ['%s\\n', ['a', 'b', 'c'], 'a\nb\nc\n'],
    ['%s=%s;', ['a', '1', 'b'], 'a=1;b=;'],
    ['no args\\x41\\101\\0102\\c ignored', [], 'no argsAAB'],
    ['%*d|%-*d|', ['4', '7', '3', '1'], '   7|1  |'],
    ['%s', [], ''],
    // Found by the shell fuzz target (stress/fuzz/shell.mjs): these threw a TypeError / RangeError.
    ['ends in a backslash\\', [], 'ends in a backslash\\'],
    ['%.*f|%.*e', ['-3', '1.5', '-1', '2'], '1.500000|2.000000e+00'],
    ['%.150f', ['1'], `1.${'0'.repeat(100)}`],
  ])('%j %j', (format, args, expected) => {
    expect(formatAll(format, args).text).toBe(expected);
  });

  it('reports invalid numbers and exits 1, but still prints', async () => {
    const r = await runLines('printf "%d|\\n" abc');
    expect(r.stdout).toBe('0|\n');
    expect(r.stderr).toBe("printf: invalid number 'abc'\n");
    expect(r.code).toBe(1);
  });

  it('needs a format', async () => {
    const r = await runLines('printf');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^printf: missing format/);
  });
});
