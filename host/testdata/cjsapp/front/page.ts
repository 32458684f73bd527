import { api } from "encore.dev/api";
import { notes } from "~encore/clients";

// A service-to-service call through the generated clients, from a CommonJS module.
export const summary = api({ expose: true, method: "GET", path: "/summary" }, async (): Promise<{ text: string }> => {
  const { n, greeting } = await notes.count();
  return { text: `${greeting}: ${n} notes` };
});
