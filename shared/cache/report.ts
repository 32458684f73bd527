// Cache failures are reported, never thrown. A dead Redis fails every operation, so reports are
// rate-limited: at most one per interval, the next one saying how many were dropped meanwhile.

// CacheError is what onError receives: the operation that failed and the underlying cause.
export class CacheError extends Error {
  override readonly name = "CacheError";
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
    // How many earlier failures were suppressed since the last report.
    readonly suppressed = 0,
  ) {
    super(
      `cache ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}` +
        (suppressed > 0 ? ` (${suppressed} similar failures suppressed)` : ""),
    );
  }
}

// CacheTimeoutError is the cause when a backend operation exceeds operationTimeoutMs.
export class CacheTimeoutError extends Error {
  override readonly name = "CacheTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs}ms`);
  }
}

export type Reporter = (operation: string, cause: unknown) => void;

// rateLimitedReporter forwards the first failure, then at most one per intervalMs.
export function rateLimitedReporter(onError: (err: CacheError) => void, intervalMs: number, now: () => number): Reporter {
  let lastReportAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (operation, cause) => {
    const at = now();
    if (at - lastReportAt < intervalMs) {
      suppressed++;
      return;
    }
    lastReportAt = at;
    const err = new CacheError(operation, cause, suppressed);
    suppressed = 0;
    try {
      onError(err);
    } catch {
      // A failing error handler must not turn a cache miss into a failed request.
    }
  };
}
