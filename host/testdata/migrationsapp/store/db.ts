import { SQLDatabase } from "encore.dev/storage/sqldb";

// Migrations as prisma migrate writes them: <timestamp>_<name>/migration.sql.
export const users = new SQLDatabase("users", { migrations: { path: "./prisma/migrations", source: "prisma" } });

// Migrations as drizzle-kit writes them: <n>_<name>.sql, beside its meta/ folder.
export const posts = new SQLDatabase("posts", { migrations: { path: "./drizzle", source: "drizzle" } });
