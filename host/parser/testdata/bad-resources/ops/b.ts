import { api } from "encore.dev/api";

export const ping = api({ path: "/b/ping" }, async (): Promise<void> => {});

export const two = api({ method: ["POST", "GET"], path: "/things/:thingId" }, async (p: { thingId: string }): Promise<void> => {
  void p;
});
