import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  const spec = { flags: 'laR1', values: 'n', long: { json: false, 'max-depth': true } };
  it('parses clusters, values and long options', () => {
    const p = parseOptions(['-la', '-n5', '--json', '--max-depth=2', 'x', '-R', '--', '-y'], spec);
    expect([p.has('l'), p.has('a'), p.has('R'), p.has('json'), p.has('1')]).toEqual([true, true, true, true, false]);
    expect(p.get('n')).toBe('5');
    expect(p.get('max-depth')).toBe('2');
    expect(p.operands).toEqual(['x', '-y']);
  });
  it('takes the value from the next word', () => {
    expect(parseOptions(['-n', '7', '--max-depth', '3'], spec).get('max-depth')).toBe('3');
  });
  it('stops at the first operand when asked', () => {
    expect(parseOptions(['-l', 'cmd', '-a'], { ...spec, stopAtOperand: true }).operands).toEqual(['cmd', '-a']);
  });
  it('recognises --help everywhere', () => {
    expect(parseOptions(['--help'], {}).has('help')).toBe(true);
  });
  it.each([
    [['-x'], "invalid option -- 'x'"],
    [['-n'], "option requires an argument -- 'n'"],
    [['--nope'], "unrecognized option '--nope'"],
    [['--json=1'], "option '--json' doesn't allow an argument"],
  ])('%j → %s', (args, message) => {
    expect(() => parseOptions(args, spec)).toThrow(message);
  });
});
