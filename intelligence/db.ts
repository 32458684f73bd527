import { SQLDatabase } from "encore.dev/storage/sqldb";

// intelligence's database: chat sessions and messages, documents and their passages, reports, token usage.
export const db = new SQLDatabase("intelligence", { migrations: "./migrations" });
