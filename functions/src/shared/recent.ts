/** The most recently used of at most `capacity` values by id. */
export class Recent<V> {
  private readonly items = new Map<string, V>();

  constructor(private readonly capacity = 1_000) {}

  /** The value, kept as the most recently used. */
  get(id: string): V | undefined {
    const value = this.items.get(id);
    if (value !== undefined) this.set(id, value);
    return value;
  }

  set(id: string, value: V): void {
    this.items.delete(id);
    // The least recently used goes first: a Map iterates in insertion order.
    if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value!);
    this.items.set(id, value);
  }

  forget(id: string): void {
    this.items.delete(id);
  }
}
