// A database's connection string before the database exists. Apps hand `db.connectionString` to an
// ORM while their modules load (knex, sequelize, drizzle, prisma), which is before the runtime has
// started the server and created and migrated the database. As Encore does with its local proxy,
// the string names a listener on 127.0.0.1 that accepts connections at once and, for each, waits
// until the database is provisioned, then pipes the bytes to the real server (TLS and
// authentication pass through untouched: the client talks to the server itself).
import { execFileSync } from "node:child_process";
import net from "node:net";

export interface DbProxy {
  /** The connection string to give the app: the proxy's address, the real credentials and name. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A proxy for one database. `credentials` is a URL whose user, password and options the client
 * must use (the real server's); `target` resolves to the real database URL once provisioned (or
 * rejects, and then every connection is closed).
 */
export function startDbProxy(database: string, credentials: string, target: Promise<string>): DbProxy {
  // The app reads the string synchronously, but a listening port is only known asynchronously:
  // ask the kernel for a free one in a child process, then listen on it here (the gap is a few
  // milliseconds on the loopback interface, and a clash fails loudly at listen).
  const port = freePortSync();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    client.pause();
    target.then(
      (url) => {
        if (client.destroyed) return;
        const u = new URL(url);
        const upstream = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
        sockets.add(upstream);
        upstream.on("close", () => {
          sockets.delete(upstream);
          client.destroy();
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  server.on("error", (err) => {
    process.emitWarning(`the connection proxy of database ${database} cannot listen on 127.0.0.1:${port}: ${err.message}`);
  });
  server.listen(port, "127.0.0.1");
  server.unref(); // waiting connections must not keep a finished process alive

  const u = new URL(credentials);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  u.pathname = `/${encodeURIComponent(database)}`;
  return {
    url: u.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function freePortSync(): number {
  const script = `const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})`;
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env: {} }));
}
