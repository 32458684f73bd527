import { expect, test } from "vitest";
import { cleanConfigLists } from "./config";

test("config lists are trimmed, de-duplicated in any case, platforms lower-cased; blanks refused", () => {
  expect(
    cleanConfigLists({ keywords: [" Rivera ", "rivera", "Senate  race"], competitors: ["Blake"], influencers: [], platforms: ["Twitter", "twitter", "News"] }),
  ).toEqual({
    ok: true,
    lists: { keywords: ["Rivera", "Senate race"], competitors: ["Blake"], influencers: [], platforms: ["twitter", "news"] },
  });
  expect(cleanConfigLists({ keywords: ["ok", "  "], competitors: [], influencers: [], platforms: [] })).toEqual({
    ok: false,
    message: "keywords[1] must not be blank",
  });
});
