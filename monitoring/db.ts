import { SQLDatabase } from "encore.dev/storage/sqldb";

// monitoring's database: configs, mentions, detector states, crisis records, the demo feed.
export const db = new SQLDatabase("monitoring", { migrations: "./migrations" });
