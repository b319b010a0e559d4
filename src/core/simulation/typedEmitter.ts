/**
 * A typed event emitter without the DOM (niivue's event-map pattern, for Node and the browser):
 * each event name has one payload type, so a listener cannot misread what it is given.
 * Listeners run synchronously in the order they subscribed; `on` returns the unsubscribe.
 */
export class TypedEmitter<EventMap extends object> {
  private readonly listeners = new Map<keyof EventMap, Set<(payload: never) => void>>();

  on<K extends keyof EventMap>(type: K, listener: (payload: EventMap[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof EventMap>(type: K, payload: EventMap[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) (listener as (payload: EventMap[K]) => void)(payload);
  }
}
