// SQL helpers every service's store.ts shares (shared/ owns no resources: the database is passed in).
import type { SQLDatabase, Transaction } from "encore.dev/storage/sqldb";

/** Runs `work` in a transaction of `db`: commits what it returns, rolls back (and rethrows) what it throws. */
export async function inTransaction<T>(db: SQLDatabase, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = await db.begin();
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
}
