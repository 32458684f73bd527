INSERT INTO "posts" ("title") VALUES ('again');
