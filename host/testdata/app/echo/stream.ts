import { api, type StreamInOut, type StreamOut } from "encore.dev/api";
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
