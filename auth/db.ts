import { SQLDatabase } from "encore.dev/storage/sqldb";

// auth's database: accounts (the seed's `users` table), refresh-token families, login throttling.
export const db = new SQLDatabase("auth", { migrations: "./migrations" });
