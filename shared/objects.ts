// Files a service keeps in an Encore bucket for rows of its database (shared/ owns no resource: the
// bucket and the store's functions are passed in). Three rules keep the bucket and the rows in step:
// - a new file is uploaded before its row is written, and removed again when the write fails
//   (uploadThenRecord): a row never points at a missing object, and a failed write leaves no object;
// - a deleted row's object key is queued in the transaction that deletes the row and removed after
//   it commits (drainDeletions), and whatever a failed removal leaves is retried by the service's job;
// - rows from before the bucket are moved in small batches by a job that any number of processes
//   may run at once (moveAll over the store's batch function, which locks its rows SKIP LOCKED).
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { ObjectNotFound, type Bucket } from "encore.dev/storage/objects";
import type { SQLDatabase, Transaction } from "encore.dev/storage/sqldb";

/** Uploads `data` as `key`, then runs `record` (the row's insert); when that fails, removes the object and rethrows. */
export async function uploadThenRecord<T>(bucket: Bucket, key: string, data: Buffer, contentType: string, record: () => Promise<T>): Promise<T> {
  try {
    await bucket.upload(key, data, { contentType });
  } catch (err) {
    throw storageUnavailable(err, "storing the file");
  }
  try {
    return await record();
  } catch (err) {
    await removeObject(bucket, key).catch((removeErr: unknown) =>
      // Nothing points at it, and nothing will: say so loudly, with the key to remove by hand.
      log.error("a file whose row could not be written was left in its bucket", { key, error: String(removeErr) }),
    );
    throw err;
  }
}

/** The object's bytes, or null when it does not exist. */
export async function downloadOrNull(bucket: Bucket, key: string): Promise<Buffer | null> {
  try {
    return await bucket.download(key);
  } catch (err) {
    if (err instanceof ObjectNotFound) return null;
    throw err;
  }
}

/** Removes an object; one that is already gone counts as removed (stores differ on reporting it). */
export async function removeObject(bucket: Bucket, key: string): Promise<void> {
  try {
    await bucket.remove(key);
  } catch (err) {
    if (!(err instanceof ObjectNotFound)) throw err;
  }
}

/** A service's queue of object keys whose rows are gone (its `object_deletions` table). */
export interface DeletionQueue {
  /** Up to `limit` queued keys, oldest first. */
  next(limit: number): Promise<string[]>;
  /** Forgets keys whose objects are removed. */
  done(keys: string[]): Promise<void>;
}

/**
 * One batch of a move job, in one transaction of `db`: `lock` selects and locks the rows to move
 * (FOR UPDATE SKIP LOCKED, so processes running at once take different rows), `moveOne` uploads one
 * row's file and records its key. When an upload fails, the rows already moved are committed and
 * the error is rethrown. Returns how many rows were moved.
 */
export async function moveBatch<R>(
  db: SQLDatabase,
  lock: (tx: Transaction) => Promise<R[]>,
  moveOne: (tx: Transaction, row: R) => Promise<void>,
): Promise<number> {
  const tx = await db.begin();
  let moved = 0;
  let failure: unknown = null;
  try {
    for (const row of await lock(tx)) {
      try {
        await moveOne(tx, row);
      } catch (err) {
        failure = err;
        break;
      }
      moved++;
    }
    await tx.commit();
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
  if (failure) throw failure;
  return moved;
}

/**
 * The queue of a service's database whose `object_deletions (object_key TEXT PRIMARY KEY, queued_at
 * TIMESTAMPTZ)` table holds the keys of deleted rows' objects.
 */
export function deletionQueue(db: SQLDatabase): DeletionQueue {
  return {
    async next(limit) {
      const rows = await db.queryAll<{ object_key: string }>`SELECT object_key FROM object_deletions ORDER BY queued_at, object_key LIMIT ${limit}::int`;
      return rows.map((r) => r.object_key);
    },
    async done(keys) {
      await db.exec`DELETE FROM object_deletions WHERE object_key = ANY(${keys}::text[])`;
    },
  };
}

/**
 * Removes the queued objects and forgets them; returns how many. Safe to run from several
 * processes at once (removing twice is harmless). Throws on the first removal that fails: what is
 * left stays queued for the next run.
 */
export async function drainDeletions(bucket: Bucket, queue: DeletionQueue, batch = 100): Promise<number> {
  let removed = 0;
  for (;;) {
    const keys = await queue.next(batch);
    const gone: string[] = [];
    try {
      for (const key of keys) {
        await removeObject(bucket, key);
        gone.push(key);
      }
    } finally {
      if (gone.length > 0) await queue.done(gone);
    }
    removed += gone.length;
    if (keys.length < batch) return removed;
  }
}

/**
 * Runs `moveBatch` (which moves up to `batch` rows into the bucket and returns how many it moved)
 * until it moves none or `budgetMs` has passed; returns the total.
 */
export async function moveAll(moveBatch: (batch: number) => Promise<number>, opts: { batch: number; budgetMs: number }): Promise<number> {
  const deadline = Date.now() + opts.budgetMs;
  let moved = 0;
  for (;;) {
    const n = await moveBatch(opts.batch);
    moved += n;
    if (n === 0 || Date.now() >= deadline) return moved;
  }
}

/** An object-storage failure as the endpoint's answer: 503 with a retry hint (an APIError passes through). */
export function storageUnavailable(err: unknown, doing: string): Error {
  if (err instanceof APIError) return err;
  log.error(`file storage failed while ${doing}`, { error: String(err) });
  return APIError.unavailable(`file storage is unavailable (${doing}); try again shortly`).withDetails({ retryAfterSeconds: 5 });
}
