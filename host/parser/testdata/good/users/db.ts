import { SQLDatabase } from "encore.dev/storage/sqldb";

export const db = new SQLDatabase("users", { migrations: "./migrations" });

// A reference to the same database, by name.
export const again = SQLDatabase.named("users");
