/**
 * A small IndexedDB key–value store (one database "us-ct-fusion-simulator", one object store
 * per name): what autosaves sessions and case edits in the browser, so a reload or a crash
 * loses nothing. Values are structured-cloned (plain JSON-like objects) when written.
 *
 * Version 2 added the store "attempt" (the attempt in progress as a header and append-only
 * chunks, sessionAutosave.ts); an upgrade from version 1 keeps every store and its data. A
 * page of a newer app version that upgraded the database further is met by opening whatever
 * version is there; an open connection closes when another page upgrades the database.
 */
const DATABASE = 'us-ct-fusion-simulator';
const VERSION = 2;
const STORES = ['sessions', 'cases', 'settings', 'attempt'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | undefined;

function open(version: number | undefined): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(DATABASE) : indexedDB.open(DATABASE, version);
    request.onupgradeneeded = () => {
      for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another page upgrades the database: let it, and open again at the next use.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

function database(): Promise<IDBDatabase> {
  return (opening ??= open(VERSION).catch((error: unknown) => {
    // A newer version of the app upgraded the database: use it as it is (its stores are a superset).
    if (error instanceof DOMException && error.name === 'VersionError') return open(undefined);
    opening = undefined;
    throw error;
  }));
}

function run<T>(store: StoreName, mode: IDBTransactionMode, action: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return database().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const transaction = db.transaction(store, mode);
        const request = action(transaction.objectStore(store));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error ?? new Error(`IndexedDB ${mode} on ${store} failed`));
        transaction.onabort = () => reject(transaction.error ?? new Error(`IndexedDB ${mode} on ${store} aborted`));
      }),
  );
}

/** One change of a `write`: put a value, delete a key, or clear a store. */
export type StoreChange =
  | { readonly store: StoreName; readonly put: unknown; readonly key: IDBValidKey }
  | { readonly store: StoreName; readonly remove: IDBValidKey }
  | { readonly store: StoreName; readonly clear: true };

export const keyValueStore = {
  put: (store: StoreName, key: IDBValidKey, value: unknown): Promise<IDBValidKey> => run(store, 'readwrite', (s) => s.put(value, key)),
  get: <T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> => run(store, 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
  remove: (store: StoreName, key: IDBValidKey): Promise<undefined> => run(store, 'readwrite', (s) => s.delete(key)),
  all: <T>(store: StoreName): Promise<T[]> => run(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>),

  /** Every key and value of a store, in key order (numbers before strings). */
  entries: <T>(store: StoreName): Promise<[IDBValidKey, T][]> =>
    database().then(
      (db) =>
        new Promise((resolve, reject) => {
          const transaction = db.transaction(store, 'readonly');
          const keys = transaction.objectStore(store).getAllKeys();
          const values = transaction.objectStore(store).getAll();
          transaction.oncomplete = () => resolve(keys.result.map((key, i) => [key, values.result[i] as T]));
          transaction.onerror = () => reject(transaction.error ?? new Error(`IndexedDB read of ${store} failed`));
        }),
    ),

  /** Several changes in one transaction, in order: all are made, or none. */
  write: (changes: readonly StoreChange[]): Promise<void> =>
    database().then(
      (db) =>
        new Promise((resolve, reject) => {
          const stores = [...new Set(changes.map((c) => c.store))];
          if (stores.length === 0) return resolve();
          const transaction = db.transaction(stores, 'readwrite');
          for (const change of changes) {
            const s = transaction.objectStore(change.store);
            if ('put' in change) s.put(change.put, change.key);
            else if ('remove' in change) s.delete(change.remove);
            else s.clear();
          }
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
          transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
        }),
    ),
};
