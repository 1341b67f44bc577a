/**
 * Union–find over the integers 0 … size − 1, with path halving and union by size, so a
 * sequence of m operations costs O(m · α(n)) — effectively constant per operation.
 */
export class DisjointSet {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  /** `size` singleton sets {0}, {1}, …, {size − 1}. */
  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.size = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  /** Representative of the set holding `x`; equal for two elements iff they share a set. */
  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /** Merges the sets of `a` and `b`; returns false when they already were one set. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }
}
