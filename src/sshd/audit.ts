// The audit log on stderr (DESIGN.md "Audit log"): one line per event. `text` reads as
// `breakglassd: EVENT key=value …` (values with spaces or quotes are JSON-quoted);
// `json` is one object per line with `time` and `event` first, for log shippers.
export type AuditFields = Record<string, unknown>;
export type AuditFn = (event: string, fields: AuditFields) => void;

export interface AuditLog {
  event: AuditFn;
  /** Operational warnings (bad authorized_keys line …) go through the same channel. */
  warn(message: string, fields?: AuditFields): void;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `breakglassd: auth result=ok user=root key=SHA256:…` */
export function formatTextEvent(event: string, fields: AuditFields): string {
  const parts = [`breakglassd: ${event}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

export function formatJsonEvent(event: string, fields: AuditFields, now: Date = new Date()): string {
  const clean: AuditFields = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) clean[key] = value;
  return JSON.stringify({ time: now.toISOString(), event, ...clean });
}

export function createAuditLog(format: 'text' | 'json', write: (line: string) => void): AuditLog {
  const event: AuditFn = (name, fields) => {
    write(`${format === 'json' ? formatJsonEvent(name, fields) : formatTextEvent(name, fields)}\n`);
  };
  return {
    event,
    warn: (message, fields = {}) => event('warning', { message, ...fields }),
  };
}
