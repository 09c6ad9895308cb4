import type { Firestore } from "firebase-admin/firestore";

/**
 * `db`, but with `before` run once, just before its first transaction starts: in reconcile that is
 * after the scan and before the close, where another writer's commit would race it.
 */
export function beforeFirstTransaction(db: Firestore, before: (db: Firestore) => Promise<unknown>): { db: Firestore; ran: () => boolean } {
  let ran = false;
  const raced = new Proxy(db, {
    get(target, key, receiver) {
      if (key !== "runTransaction") return Reflect.get(target, key, receiver);
      return async (...args: Parameters<Firestore["runTransaction"]>) => {
        if (!ran) {
          ran = true;
          await before(target);
        }
        return target.runTransaction(...args);
      };
    },
  });
  return { db: raced, ran: () => ran };
}
