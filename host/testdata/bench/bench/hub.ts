// The in-process bus between the subscription and the open streams (War Room's live streams
// without Redis): every event broadcast here reaches every listener of this process.
import type { BenchEvent } from "./events";

type Listener = (event: BenchEvent) => void;

const listeners = new Set<Listener>();

/** Adds a listener; the returned function removes it. */
export function listen(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Hands the event to every listener, synchronously (a listener deals with its own failures). */
export function broadcast(event: BenchEvent): void {
  for (const listener of listeners) listener(event);
}

export function listenerCount(): number {
  return listeners.size;
}
