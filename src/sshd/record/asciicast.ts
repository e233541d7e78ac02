// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line,
// then one JSON array per event: [seconds since start, code, data]. Codes: "o" output,
// "i" input, "r" resize ("COLSxROWS"), "m" marker. Pure: the recorder does the I/O.
// Writing only: the reader (cast-reader.ts, with its zod schemas) serves tests and
// tools, so breakglassd's bundle carries no zod.

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastCode = 'o' | 'i' | 'r' | 'm';
export type CastEvent = [seconds: number, code: CastCode, data: string];

export function castHeaderLine(header: CastHeader): string {
  return `${JSON.stringify(header)}\n`;
}

/** Times are rounded to microseconds, as asciinema writes them. */
export function castEventLine(seconds: number, code: CastEvent[1], data: string): string {
  return `${JSON.stringify([Math.round(seconds * 1e6) / 1e6, code, data])}\n`;
}
