import { api } from "encore.dev/api";

export const ping = api({ path: "/a/ping" }, async (): Promise<void> => {});

export const one = api({ method: "GET", path: "/things/:id" }, async (p: { id: string }): Promise<void> => {
  void p;
});
