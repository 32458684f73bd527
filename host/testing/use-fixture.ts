// One started fixture app per test file: started before the file's tests, stopped and its
// databases dropped after them.
import { afterAll, beforeAll } from "vitest";
import { dropFixtureDatabases, fixturePrefix, startFixture, type FixtureServer } from "./fixture-server.ts";

export interface UsedFixture {
  readonly prefix: string;
  readonly server: FixtureServer;
}

export function useFixture(root: string, env: Record<string, string> = {}): UsedFixture {
  const prefix = fixturePrefix();
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    server = await startFixture(root, prefix, env);
  });
  afterAll(async () => {
    await server?.stop();
    await dropFixtureDatabases(prefix);
  });
  return {
    prefix,
    get server() {
      if (!server) throw new Error("the fixture is not started yet (use it inside a test)");
      return server;
    },
  };
}
