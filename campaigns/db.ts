import { SQLDatabase } from "encore.dev/storage/sqldb";

// campaigns' database: campaigns, their members, keywords and alert contacts.
export const db = new SQLDatabase("campaigns", { migrations: "./migrations" });
