// The honest minimum for the benchmark: node:http + pg, the same SQL, the same pool size,
// JSON.stringify of the same object, no framework. Prints its port on stdout.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.BENCH_DB_URL, max: Number(process.env.BENCH_POOL_SIZE ?? 10) });

function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, async (req, res) => {
  try {
    if (req.method === "GET" && req.url === "/hello") return send(res, 200, { message: "hello, world" });
    const m = req.method === "GET" && /^\/items\/(\d+)$/.exec(req.url);
    if (m) {
      const r = await pool.query("SELECT id, name, price, created_at FROM items WHERE id = $1", [Number(m[1])]);
      if (r.rows.length === 0) return send(res, 404, { code: "not_found", message: "no such item", details: null });
      const row = r.rows[0];
      return send(res, 200, { id: row.id, name: row.name, price: row.price, createdAt: row.created_at });
    }
    send(res, 404, { code: "not_found", message: "endpoint not found", details: null });
  } catch {
    send(res, 500, { code: "internal", message: "an internal error occurred", details: null });
  }
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://localhost:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
