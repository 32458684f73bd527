import { Service } from "encore.dev/service";

// intelligence: the AI analyst: chat sessions, documents, knowledge base and reports.
export default new Service("intelligence");
