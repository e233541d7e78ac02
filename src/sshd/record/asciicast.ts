// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line,
// then one JSON array per event: [seconds since start, code, data]. Codes: "o" output,
// "i" input, "r" resize ("COLSxROWS"), "m" marker. Pure: the recorder does the I/O.
import { z } from 'zod';

export const CastHeader = z.object({
  version: z.literal(2),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  timestamp: z.number().int().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
export type CastHeader = z.infer<typeof CastHeader>;

export const CastEvent = z.tuple([z.number().nonnegative(), z.enum(['o', 'i', 'r', 'm']), z.string()]);
export type CastEvent = z.infer<typeof CastEvent>;

export function castHeaderLine(header: CastHeader): string {
  return `${JSON.stringify(header)}\n`;
}

/** Times are rounded to microseconds, as asciinema writes them. */
export function castEventLine(seconds: number, code: CastEvent[1], data: string): string {
  return `${JSON.stringify([Math.round(seconds * 1e6) / 1e6, code, data])}\n`;
}

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
  const header = CastHeader.safeParse(json(lines[0]!, 1));
  if (!header.success) throw new CastParseError(1, `bad header: ${header.error.issues[0]?.message ?? 'invalid'}`);
  const events: CastEvent[] = [];
  let last = 0;
  lines.slice(1).forEach((line, i) => {
    const event = CastEvent.safeParse(json(line, i + 2));
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
