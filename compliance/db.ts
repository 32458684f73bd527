import { SQLDatabase } from "encore.dev/storage/sqldb";

// compliance's database: the append-only audit log (and, later, retention and erasure records).
export const db = new SQLDatabase("compliance", { migrations: "./migrations" });
