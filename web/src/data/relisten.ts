/**
 * Keeps a listener until the server has answered it once: one that has not answered within
 * `relistenMs` is stopped and replaced by a new one, again and again. A Firestore SDK listener
 * has been seen to wait for ever on a query the server never answered (the review queue stuck at
 * "Loading…" beside lists that had loaded); a new listener is a new target, and it answers.
 * `subscribe` starts a listener and calls `answered` on its first answer from the server (or
 * error); it returns the listener's stop. Returns the stop of whichever listener is current.
 */
export function listenUntilAnswered(subscribe: (answered: () => void) => () => void, relistenMs: number): () => void {
  let stop: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const listen = () => {
    let answered = false;
    stop = subscribe(() => {
      answered = true;
    });
    timer = setTimeout(() => {
      if (answered || closed) return;
      stop();
      listen();
    }, relistenMs);
  };
  listen();
  return () => {
    closed = true;
    clearTimeout(timer);
    stop();
  };
}
