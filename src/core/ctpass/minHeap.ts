/** A binary min-heap of (cost, item) on typed arrays, growing as needed: the front of a priority flood. */
export class MinHeap {
  private costs = new Float64Array(1024);
  private items = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(cost: number, item: number): void {
    if (this.count === this.costs.length) {
      const costs = new Float64Array(this.count * 2);
      costs.set(this.costs);
      this.costs = costs;
      const items = new Int32Array(this.count * 2);
      items.set(this.items);
      this.items = items;
    }
    let at = this.count++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.costs[parent]! <= cost) break;
      this.costs[at] = this.costs[parent]!;
      this.items[at] = this.items[parent]!;
      at = parent;
    }
    this.costs[at] = cost;
    this.items[at] = item;
  }

  /** Removes and returns the item of least cost (undefined when empty). */
  pop(): number | undefined {
    if (this.count === 0) return undefined;
    const top = this.items[0]!;
    const last = --this.count;
    const cost = this.costs[last]!;
    const item = this.items[last]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.costs[child + 1]! < this.costs[child]!) child++;
      if (this.costs[child]! >= cost) break;
      this.costs[at] = this.costs[child]!;
      this.items[at] = this.items[child]!;
      at = child;
    }
    this.costs[at] = cost;
    this.items[at] = item;
    return top;
  }
}
