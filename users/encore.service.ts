import { Service } from "encore.dev/service";

// users: user management endpoints over auth's accounts (owns no database of its own).
export default new Service("users");
