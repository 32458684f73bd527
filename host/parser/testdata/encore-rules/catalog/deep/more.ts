// Inside catalog/: part of the catalog service, not a service of its own.
import { api } from "encore.dev/api";

export const more = api({ expose: true, method: "GET", path: "/items/more" }, async (): Promise<void> => {});
