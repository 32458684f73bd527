import { api } from "encore.dev/api";

class Money {
  constructor(public cents: number) {}
}

interface PayRequest {
  amount: Money;
}
export const pay = api({ method: "POST", path: "/pay" }, async (req: PayRequest): Promise<void> => {
  void req;
});

interface GetItem {
  id?: string;
}
export const getItem = api({ method: "GET", path: "/items/:id" }, async (p: GetItem): Promise<void> => {
  void p;
});

interface Lookup {
  name: string;
}
export const lookup = api({ method: "GET", path: "/lookup/:key" }, async (p: Lookup): Promise<void> => {
  void p;
});

interface ByTags {
  tags: string[];
}
export const byTags = api({ method: "GET", path: "/tags/:tags" }, async (p: ByTags): Promise<void> => {
  void p;
});

interface Search {
  filter: { q: string };
}
export const search = api({ method: "GET", path: "/search" }, async (p: Search): Promise<void> => {
  void p;
});

interface Pair {
  pair: [string, number];
}
export const tuple = api({ method: "POST", path: "/tuple" }, async (p: Pair): Promise<void> => {
  void p;
});

interface WithFn {
  cb: () => void;
}
export const fn = api({ method: "POST", path: "/fn" }, async (p: WithFn): Promise<void> => {
  void p;
});

const hidden = api({ method: "POST", path: "/hidden" }, async (): Promise<void> => {});
void hidden;

export const noRequest = api({ method: "GET", path: "/norequest/:id" }, async (): Promise<void> => {});

export const badMethod = api({ method: "FETCH", path: "/fetch" }, async (): Promise<void> => {});

const exposed = true;
export const nonLiteral = api({ expose: exposed, path: "/nonliteral" }, async (): Promise<void> => {});

export const notInterface = api({ path: "/prim" }, async (p: string): Promise<void> => {
  void p;
});
