// A database outside any service folder: databases belong to the app.
import { SQLDatabase } from "encore.dev/storage/sqldb";

export const store = new SQLDatabase("store", { migrations: "./migrations" });
