import { SQLDatabase } from "encore.dev/storage/sqldb";

// analytics' database: the rollups (daily_analytics and finer), counted batches, crises, PDF reports.
export const db = new SQLDatabase("analytics", { migrations: "./migrations" });
