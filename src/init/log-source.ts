// What GET /log sends: one ring as gokrazy does, or (stream=both) a service's stdout and
// stderr merged back into arrival order with a marker per line, so `logs` shows a
// server's complaints next to its output without the reader knowing which stream to ask.
import type { LineListener, LineRing } from './ring-buffer.js';
import type { LogQuery } from './request.js';
import type { z } from 'zod';

export type LogStream = z.infer<typeof LogQuery>['stream'];

/** How `stream=both` marks each line with the stream it came from. */
export const STREAM_MARKERS = { stdout: '[out] ', stderr: '[err] ' } as const;

export interface LogSource {
  snapshot: string[];
  subscribe(listener: LineListener): () => void;
}

export function logSource(service: { stdout: LineRing; stderr: LineRing }, stream: LogStream): LogSource {
  if (stream !== 'both') {
    const ring = service[stream];
    return { snapshot: ring.snapshot(), subscribe: (listener) => ring.subscribe(listener) };
  }
  const marked = (name: 'stdout' | 'stderr') => service[name].numbered().map((e) => ({ seq: e.seq, line: STREAM_MARKERS[name] + e.line }));
  const snapshot = [...marked('stdout'), ...marked('stderr')].sort((a, b) => a.seq - b.seq).map((e) => e.line);
  return {
    snapshot,
    subscribe(listener) {
      const offOut = service.stdout.subscribe((line) => listener(STREAM_MARKERS.stdout + line));
      const offErr = service.stderr.subscribe((line) => listener(STREAM_MARKERS.stderr + line));
      return () => {
        offOut();
        offErr();
      };
    },
  };
}
