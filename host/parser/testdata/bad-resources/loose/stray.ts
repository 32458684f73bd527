import { api } from "encore.dev/api";
import { SQLDatabase } from "encore.dev/storage/sqldb";

export const stray = api({ path: "/stray" }, async (): Promise<void> => {});

export const strayDb = new SQLDatabase("stray");
