import { api, type Header, type Query, type StreamInOut } from "encore.dev/api";

interface WatchHandshake {
  id: string;
  token: Header<"Authorization">;
  since?: Query<"since">;
  verbose?: boolean;
}

interface UserEvent {
  kind: "created" | "deleted";
  at: Date;
}

interface Chunk {
  data: string;
}

interface UploadResult {
  bytes: number;
}

interface ChatHandshake {
  room: string;
}

interface ChatIn {
  text: string;
}

interface ChatOut {
  from: string;
  text: string;
}

export const watch = api.streamOut<WatchHandshake, UserEvent>({ expose: true, path: "/users/:id/watch" }, async (hs, stream) => {
  await stream.send({ kind: "created", at: new Date(hs.id) });
});

export const upload = api.streamIn<Chunk, UploadResult>({ path: "/upload" }, async (stream) => {
  let bytes = 0;
  for await (const c of stream) bytes += c.data.length;
  return { bytes };
});

export const chat = api.streamInOut({ expose: true, path: "/chat/:room" }, async (hs: ChatHandshake, stream: StreamInOut<ChatIn, ChatOut>) => {
  for await (const m of stream) await stream.send({ from: hs.room, text: m.text });
});
