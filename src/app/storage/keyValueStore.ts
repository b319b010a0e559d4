/**
 * A small IndexedDB key–value store (one database "us-ct-fusion-simulator", one object store
 * per name): what autosaves sessions and case edits in the browser, so a reload or a crash
 * loses nothing. Values are structured-cloned (plain JSON-like objects).
 */
const DATABASE = 'us-ct-fusion-simulator';
const STORES = ['sessions', 'cases', 'settings'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  return (opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
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
      }),
  );
}

export const keyValueStore = {
  put: (store: StoreName, key: string, value: unknown): Promise<IDBValidKey> => run(store, 'readwrite', (s) => s.put(value, key)),
  get: <T>(store: StoreName, key: string): Promise<T | undefined> => run(store, 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
  remove: (store: StoreName, key: string): Promise<undefined> => run(store, 'readwrite', (s) => s.delete(key)),
  all: <T>(store: StoreName): Promise<T[]> => run(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>),
};
