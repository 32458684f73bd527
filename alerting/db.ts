import { SQLDatabase } from "encore.dev/storage/sqldb";

// alerting's database: alerts and their per-channel, per-recipient deliveries.
export const db = new SQLDatabase("alerting", { migrations: "./migrations" });
