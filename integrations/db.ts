import { SQLDatabase } from "encore.dev/storage/sqldb";

// integrations' database: the API call log, pollers' cursors, circuit state and sent messages (no business data).
export const db = new SQLDatabase("integrations", { migrations: "./migrations" });
