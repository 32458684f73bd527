CREATE TABLE "posts" ("id" serial PRIMARY KEY NOT NULL, "title" text NOT NULL);
--> statement-breakpoint
INSERT INTO "posts" ("title") VALUES ('hello');
