// Reads an asciicast v2 recording back (asciicast.ts writes them): checks every line
// against the format, for tests and tools; breakglassd itself only writes.
import { z } from 'zod';
import type { CastEvent, CastHeader } from './asciicast.js';

const CastHeaderSchema: z.ZodType<CastHeader> = z.object({
  version: z.literal(2),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  timestamp: z.number().int().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

const CastEventSchema: z.ZodType<CastEvent> = z.tuple([z.number().nonnegative(), z.enum(['o', 'i', 'r', 'm']), z.string()]);

export class CastParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`asciicast line ${line}: ${message}`);
  }
}

/** Parses a whole recording; throws CastParseError naming the first bad line. */
export function parseCast(text: string): { header: CastHeader; events: CastEvent[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const json = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line) as unknown;
    } catch (err) {
      throw new CastParseError(n, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  };
  if (lines.length === 0) throw new CastParseError(1, 'empty file: expected a header');
  const header = CastHeaderSchema.safeParse(json(lines[0]!, 1));
  if (!header.success) throw new CastParseError(1, `bad header: ${header.error.issues[0]?.message ?? 'invalid'}`);
  const events: CastEvent[] = [];
  let last = 0;
  lines.slice(1).forEach((line, i) => {
    const event = CastEventSchema.safeParse(json(line, i + 2));
    if (!event.success) throw new CastParseError(i + 2, `bad event: ${event.error.issues[0]?.message ?? 'invalid'}`);
    if (event.data[0] < last) throw new CastParseError(i + 2, 'time goes backwards');
    last = event.data[0];
    events.push(event.data);
  });
  return { header: header.data, events };
}

/** `COLSxROWS` of a resize event. */
export function parseResize(data: string): { cols: number; rows: number } | undefined {
  const m = /^(\d+)x(\d+)$/.exec(data);
  return m ? { cols: Number(m[1]), rows: Number(m[2]) } : undefined;
}
