import { api, type Header, type StreamInOut, type StreamOut } from "encore.dev/api";
import { currentRequest } from "encore.dev";
import { getAuthData } from "~encore/auth";

interface CountHandshake {
  to: number;
}

interface Tick {
  n: number;
  user: string;
  at: Date;
}

// count streams `to` ticks to an authenticated client, then ends.
export const count = api.streamOut<CountHandshake, Tick>(
  { expose: true, auth: true, path: "/echo/count/:to" },
  async ({ to }: CountHandshake, stream: StreamOut<Tick>) => {
    for (let n = 1; n <= to; n++) await stream.send({ n, user: getAuthData()!.userID, at: new Date("2024-05-01T00:00:00Z") });
  },
);

interface Shout {
  text: string;
  at: Date;
}

interface Echoed {
  text: string;
  atIsDate: boolean;
}

// chat answers each message upper-cased until the client closes.
export const chat = api.streamInOut<Shout, Echoed>({ expose: true, path: "/echo/chat" }, async (stream: StreamInOut<Shout, Echoed>) => {
  for await (const msg of stream) await stream.send({ text: msg.text.toUpperCase(), atIsDate: msg.at instanceof Date });
});

interface AddressHandshake {
  realIp?: Header<"X-Real-IP">;
}

interface Address {
  realIp: string;
  forwardedFor: string;
}

// address tells a stream's client the address the runtime gave its handshake, then ends.
export const address = api.streamOut<AddressHandshake, Address>(
  { expose: true, path: "/echo/address" },
  async (h: AddressHandshake, stream: StreamOut<Address>) => {
    const meta = currentRequest();
    const fwd = meta?.type === "api-call" ? meta.headers["x-forwarded-for"] : undefined;
    await stream.send({ realIp: h.realIp ?? "", forwardedFor: String(fwd ?? "") });
  },
);
