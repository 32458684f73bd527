import { Service } from "encore.dev/service";
import { middleware } from "encore.dev/api";

// Two middlewares record their order; the second adds a header, and overrides the status on tagged endpoints.
const first = middleware(async (req, next) => {
  req.data.order = [...(req.data.order ?? []), "first"];
  return next(req);
});

const second = middleware({ target: { auth: false } }, async (req, next) => {
  req.data.order = [...(req.data.order ?? []), "second"];
  const resp = await next(req);
  resp.header.set("X-Middleware", "second");
  if (req.requestMeta?.type === "api-call" && req.requestMeta.api.tags.includes("accepted")) resp.status = 202;
  return resp;
});

export default new Service("echo", { middlewares: [first, second] });
