import { defineConfig } from "vitest/config";
import path from "node:path";

// `~encore` resolves to the generated folder, as Encore's docs recommend (the same under `encore test`).
export default defineConfig({
  resolve: {
    alias: { "~encore": path.resolve(import.meta.dirname, "./encore.gen") },
  },
  test: {
    pool: "forks",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/testdata/**", "encore.gen/**", ".data/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
