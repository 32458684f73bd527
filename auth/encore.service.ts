import { Service } from "encore.dev/service";
import "./startup";

// auth: accounts' credentials, JWT sessions (refresh-token families) and the gateway's auth handler.
export default new Service("auth");
