// Error classes shared across areas. Each carries context fields and a `cause`; only a
// program's main (or a per-connection handler) logs them (CONVENTIONS.md §6).

/** A bad flag, config value or argument: one clear line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Base for errors that carry what was being done when they happened. */
export class BreakglassError extends Error {
  override name = 'BreakglassError';
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
