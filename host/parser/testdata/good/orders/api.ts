import { api as endpoint } from "encore.dev/api";

// A second Status, unrelated to users' one: the types map keeps both.
export interface Status {
  open: boolean;
}

export interface OrdersPing {
  status: Status;
}

export const ping = endpoint({ expose: true }, async (): Promise<OrdersPing> => ({ status: { open: true } }));
