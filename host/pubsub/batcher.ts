// Group commit: items that arrive while a flush is running go together in the next flush.
// A lone caller pays exactly one flush (no added delay); concurrent callers share one round trip.
// One flush at a time keeps the order of flushes equal to the order of add() calls, which the
// publisher relies on (message ids follow publish order, and ordering keys follow ids).

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private running: Promise<void> | null = null;

  /** flush(items) must return one result per item, in order, or throw (then every item of the batch fails). */
  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) this.running = this.run();
    });
  }

  /** Resolves once everything added so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  get pending(): number {
    return this.queue.length;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((p) => p.item));
          if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
          batch.forEach((p, i) => {
            p.resolve(results[i]);
          });
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
