import { SQLDatabase } from "encore.dev/storage/sqldb";
import postgres from "postgres";

export const db = new SQLDatabase("notes", { migrations: "./migrations" });

// As apps do with an ORM: a client built from the connection string while the module loads,
// before the runtime has created the database. Its first query runs at request time.
export const client = postgres(db.connectionString, { max: 2, onnotice: () => {} });

// Issued while the module loads, before the database exists: the connection waits for it
// (created and migrated) instead of failing.
export const earlyCount: Promise<number> = client`SELECT count(*)::int AS n FROM note`.then((rows) => rows[0].n);
