import { api } from "encore.dev/api";
import { posts, users } from "./db";

export const summary = api({ expose: true, method: "GET", path: "/summary" }, async (): Promise<{ emails: string[]; titles: string[] }> => {
  const emails: string[] = [];
  for await (const r of users.query<{ email: string }>`SELECT "email" FROM "User" ORDER BY "id"`) emails.push(r.email);
  const titles: string[] = [];
  for await (const r of posts.query<{ title: string }>`SELECT "title" FROM "posts" ORDER BY "id"`) titles.push(r.title);
  return { emails, titles };
});
