import { Service } from "encore.dev/service";

// users owns accounts.
export default new Service("users", { middlewares: [] });
