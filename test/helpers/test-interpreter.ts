// Test helpers: an interpreter wired to in-memory streams (used by unit tests only).
import { PassThrough, Readable } from 'node:stream';
import { builtinTable } from '../../src/shell/builtins/index.js';
import type { Builtin, ExitResult, SessionServices } from '../../src/shell/types.js';
import { Interpreter } from '../../src/shell/interp/interpreter.js';
import type { InterpreterOptions } from '../../src/shell/interp/interpreter.js';

export const TEST_SERVICES: SessionServices = { hostname: 'testhost', procRoot: '/proc', sysRoot: '/sys', devRoot: '/dev' };

export interface Captured {
  stdout: string;
  stderr: string;
  code: number;
  signal: string | undefined;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export function testInterpreter(
  overrides: Partial<InterpreterOptions> & { stdin?: string; builtins?: Map<string, Builtin> } = {},
): { interp: Interpreter; stdout: () => string; stderr: () => string } {
  const out = collector();
  const err = collector();
  const stdinText = overrides.stdin;
  const interp = new Interpreter({
    builtins: overrides.builtins ?? builtinTable(),
    services: TEST_SERVICES,
    env: { LANG: 'C' },
    cwd: '/tmp',
    home: '/root',
    stdout: out.stream,
    stderr: err.stream,
    openInput: () => Readable.from(stdinText === undefined ? [] : [Buffer.from(stdinText)]),
    killGraceMs: 200,
    ...overrides,
  });
  return { interp, stdout: out.text, stderr: err.text };
}

/** Runs lines in one interpreter; collects output and the last status. */
export async function runLines(lines: string | string[], overrides: Parameters<typeof testInterpreter>[0] = {}): Promise<Captured & { interp: Interpreter }> {
  const t = testInterpreter(overrides);
  let result: ExitResult = { code: 0 };
  for (const line of Array.isArray(lines) ? lines : [lines]) {
    result = await t.interp.runLine(line);
    if (t.interp.exitCode !== undefined) break;
  }
  await new Promise((r) => setImmediate(r));
  return { stdout: t.stdout(), stderr: t.stderr(), code: result.code, signal: result.signal, interp: t.interp };
}
