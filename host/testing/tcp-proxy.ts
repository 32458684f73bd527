// A TCP proxy for outage tests: forwards 127.0.0.1:<port> to a target, and can be cut (every open
// connection destroyed, new ones reset at once, as when a database server goes away) and restored.
// It also reports the local ports of its upstream sockets, so a test can find the sessions that
// came through it in pg_stat_activity (client_port).
import net from "node:net";

export interface TcpProxy {
  port: number;
  url(base: string): string;
  /** Destroys every connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  readonly isCut: boolean;
  /** Local ports of the open upstream connections (pg_stat_activity.client_port). */
  upstreamPorts(): number[];
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url(base: string) {
      const u = new URL(base);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString().replace(/\/$/, "");
    },
    cut() {
      cut = true;
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      cut = false;
    },
    get isCut() {
      return cut;
    },
    upstreamPorts() {
      return [...pairs].map((p) => p.upstream.localPort).filter((p): p is number => typeof p === "number");
    },
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
