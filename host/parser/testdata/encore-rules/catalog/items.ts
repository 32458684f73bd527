// No encore.service.ts: the folder of a file with endpoints is a service named after it.
import { api } from "encore.dev/api";

export const list = api({ expose: true, method: "GET", path: "/items" }, async (): Promise<{ ids: string[] }> => ({ ids: [] }));
