/**
 * Keeps a listener until the server has answered it once: one that has not answered within
 * `relistenMs` is stopped and replaced by a new one, waiting twice as long each time (at most
 * MAX_BACKOFF times `relistenMs`: offline, it keeps asking, slowly). A Firestore SDK listener has
 * been seen to wait for ever on a query the server never answered (the review queue stuck at
 * "Loading…" beside lists that had loaded). The SDK shares one server watch among the listeners
 * of one query: a new listener is a new watch only when no other listener holds the query, as
 * for the review queue's.
 * `subscribe` starts a listener and calls `answered` on its first answer from the server (or
 * error); it returns the listener's stop. Returns the stop of whichever listener is current.
 */
export const MAX_BACKOFF = 8;

export function listenUntilAnswered(subscribe: (answered: () => void) => () => void, relistenMs: number): () => void {
  let stop: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const listen = (waitMs: number) => {
    let answered = false;
    stop = subscribe(() => {
      answered = true;
    });
    timer = setTimeout(() => {
      if (answered || closed) return;
      stop();
      listen(Math.min(waitMs * 2, relistenMs * MAX_BACKOFF));
    }, waitMs);
  };
  listen(relistenMs);
  return () => {
    closed = true;
    clearTimeout(timer);
    stop();
  };
}
