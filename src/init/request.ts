// Reading HTTP inputs: query string plus an urlencoded form body (Go's r.FormValue
// semantics: body values first, then the query), validated with zod by the caller.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

const MAX_FORM_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Query parameters, plus the body when it is application/x-www-form-urlencoded. */
export async function formValues(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in values)) values[key] = value;
  const type = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const body = new URLSearchParams(await readBody(req));
    for (const [key, value] of body) values[key] = value;
  } else {
    req.resume();
  }
  return values;
}

/** Validates inputs; a bad one is a 400 naming the field. */
export function validate<T>(schema: z.ZodType<T>, values: Record<string, string>): T {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'request';
  throw new HttpError(400, `${field}: ${issue.message.replace(/^Invalid input: /, '')}`);
}

export const ServicePath = z.string().min(1).max(4096).startsWith('/', 'expected a service path such as /user/breakglass');

export const StatusQuery = z.object({ path: ServicePath });

export const ActionForm = z.object({
  path: ServicePath,
  xsrftoken: z.string().max(256).optional(),
  /** gokrazy: `signal=kill` sends SIGKILL instead of SIGTERM. */
  signal: z.enum(['term', 'kill', '']).optional(),
});

export const LogQuery = z.object({
  path: ServicePath,
  /** `both` (ours, not gokrazy's): the two streams merged in arrival order, each line marked. */
  stream: z.enum(['stdout', 'stderr', 'both']).default('stdout'),
  /** Plain text only: keep the response open and send new lines as they come. */
  follow: z.enum(['0', '1', 'true', 'false', '']).optional(),
});

/** gokrazy keys JSON off Content-Type; browsers and curl say it with Accept. */
export function wantsJson(req: IncomingMessage): boolean {
  const accept = (req.headers.accept ?? '').toLowerCase();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  return accept.includes('application/json') || type.includes('application/json');
}

export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}
