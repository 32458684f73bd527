import { api, type Query } from "encore.dev/api";
import type { Max, Min } from "encore.dev/validate";
import type { Int } from "../shared/int";

type PageSize = Int & Min<1> & Max<100>;
/** Not the app's Int: an alias named Int that is not `number` says nothing. */
type Count = number;

interface ListRequest {
  page?: Int & Min<1>;
  limit?: PageSize;
  offset?: Query<Int, "skip">;
  cursor?: Int | null;
  ratio?: number & Min<0>;
  count?: Count;
}

interface ListResponse {
  total: Int;
  nested: { depth: Int };
}

export const list = api(
  { expose: true, method: "GET", path: "/paging" },
  async (_: ListRequest): Promise<ListResponse> => ({ total: 0, nested: { depth: 0 } }),
);
