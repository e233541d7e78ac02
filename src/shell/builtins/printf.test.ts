import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';
import { formatAll, formatOnce } from './printf.js';

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

  // One pass through the format: the text, whether \c stopped it, the arguments used, errors.
  it.each([
    ['%b|after', ['one\\ctwo'], { text: 'one', stop: true, consumed: 1, errors: [] }],
    ['a\\cb%s', ['x'], { text: 'a', stop: true, consumed: 0, errors: [] }],
    ['%.3i|%05s|%-05d|%#X|%+f|%E|%10.3e|', ['7', 'ab', '42', '255', '1.5', '12345.678', '3.14159'],
      { text: '007|   ab|42   |0XFF|+1.500000|1.234568E+04| 3.142e+00|', stop: false, consumed: 7, errors: [] }],
    ['%z|%', ['1'], { text: '%z|%', stop: false, consumed: 0, errors: ['%z: invalid conversion', '%: invalid conversion'] }],
    ['%*d|', ['x', '5'], { text: '5|', stop: false, consumed: 2, errors: ["invalid number 'x'"] }],
    ['[%c]', [''], { text: '[]', stop: false, consumed: 1, errors: [] }],
    ['%d %d %d', ['010', '-0x10', '+7'], { text: '8 -16 7', stop: false, consumed: 3, errors: [] }],
    ['%5%|%s', ['a'], { text: '%|a', stop: false, consumed: 1, errors: [] }],
    ['\\1011\\x4G\\q\\e', [], { text: 'A1\x04G\\q\x1b', stop: false, consumed: 0, errors: [] }],
    ['%o %#o %x', ['0', '0', '-1'], { text: '0 0 ffffffffffffffff', stop: false, consumed: 3, errors: [] }],
    ['%s %s', ['only'], { text: 'only ', stop: false, consumed: 2, errors: [] }],
    ['% d|%+ d|% 5d', ['5', '5', '-5'], { text: ' 5|+5|   -5', stop: false, consumed: 3, errors: [] }],
    ['%-8.3s|%x', ['abcdef', "'é"], { text: 'abc     |e9', stop: false, consumed: 2, errors: [] }],
  ])('formatOnce %j %j', (format, args, expected) => {
    expect(formatOnce(format, args)).toEqual(expected);
  });
});
