ALTER TABLE "User" ADD COLUMN "email" TEXT;
INSERT INTO "User" ("name", "email") VALUES ('ada', 'ada@example.com');
