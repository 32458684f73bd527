import { Service } from "encore.dev/service";

// compliance: the append-only audit trail, retention, erasure requests and communication checks.
export default new Service("compliance");
