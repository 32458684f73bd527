-- The older timestamp sorts first: it creates the table the next one alters.
CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);
