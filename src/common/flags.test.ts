import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';
import type { FlagSpec } from './flags.js';

const SPECS: FlagSpec[] = [
  { name: 'port', kind: 'string', aliases: ['-port', '-p'], default: '22', help: 'port' },
  { name: 'no-banner', kind: 'boolean', invertedAliases: ['-enable_banner'], help: 'no banner' },
  { name: 'allow-public', kind: 'boolean', help: 'public' },
  { name: 'identity', kind: 'list', aliases: ['-i'], help: 'key' },
];

describe('parseFlags', () => {
  it.each([
    [['--port', '2222'], { port: '2222' }],
    [['--port=2222'], { port: '2222' }],
    [['-port=2222'], { port: '2222' }],
    [['-p', '7'], { port: '7' }],
    [[], { port: '22', 'no-banner': false }],
    [['--no-banner'], { 'no-banner': true }],
    [['-enable_banner=false'], { 'no-banner': true }],
    [['-enable_banner'], { 'no-banner': false }],
    [['--allow-public=false'], { 'allow-public': false }],
    [['-i', 'a', '--identity=b'], { identity: ['a', 'b'] }],
  ])('%j', (argv, expected) => {
    expect(parseFlags(argv, SPECS).values).toMatchObject(expected);
  });

  it('stops at the first positional when asked (breakglass HOST COMMAND…)', () => {
    const parsed = parseFlags(['-p', '1', 'host', 'ls', '-l'], SPECS, { stopAtFirstPositional: true });
    expect(parsed.positionals).toEqual(['host', 'ls', '-l']);
  });

  it.each([
    [['--nope'], /unknown flag --nope/],
    [['--port'], /--port needs a value/],
    [['--allow-public=maybe'], /expected true or false/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFlags(argv, SPECS)).toThrow(message);
  });
});
