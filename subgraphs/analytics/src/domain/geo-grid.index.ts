import { DEG_TO_RAD, EARTH_RADIUS_KM, hav } from '@supergraph/kit';

const HALF_PI = Math.PI / 2;
const TWO_PI = 2 * Math.PI;
/** Rows are packed with the column into one numeric key; rows never exceed this many columns. */
const KEY_STRIDE = 1 << 22;
/** Relative slack against floating-point rounding on cell borders. */
const SLACK = 1 + 1e-9;

/**
 * A spatial hash of points on the sphere: rows of equal latitude height, each row cut into
 * columns whose width is scaled by 1 / cos(latitude) so every cell measures about
 * `cellKm` × `cellKm` on the ground. Longitude wraps around the antimeridian; the rows at the
 * poles simply have few (or one) columns.
 *
 * Neighbour queries are exact supersets: `cellsNear` returns every cell that may contain a
 * point within the given great-circle distance (derived from the haversine identity
 * hav(d) = hav(Δφ) + cos φ1 · cos φ2 · hav(Δλ)), and only those few cells.
 */
export class GeoGrid {
  /** Row height in radians of latitude. */
  readonly rowHeightRad: number;
  private readonly rowCount: number;
  /** Columns per row (index = row). */
  private readonly columns: Int32Array;
  /** Point indices per cell key. */
  readonly cells = new Map<number, number[]>();

  /** A grid whose cells measure about `cellKm` along both axes (`cellKm` > 0). */
  constructor(readonly cellKm: number) {
    if (!(cellKm > 0)) throw new RangeError(`GeoGrid cell size must be positive, got ${cellKm}`);
    this.rowHeightRad = cellKm / EARTH_RADIUS_KM;
    this.rowCount = Math.ceil(Math.PI / this.rowHeightRad);
    this.columns = new Int32Array(this.rowCount);
    for (let r = 0; r < this.rowCount; r++) {
      // The equatorward edge has the widest circle of latitude; sizing columns there keeps
      // every cell at most cellKm wide on the ground.
      const cosEdge = Math.cos(this.equatorwardLat(r));
      this.columns[r] = Math.min(KEY_STRIDE - 1, Math.max(1, Math.ceil((TWO_PI * cosEdge) / this.rowHeightRad)));
    }
  }

  /** Key of the cell holding a point given in degrees. */
  keyOf(latDeg: number, lngDeg: number): number {
    const row = this.rowOf(latDeg * DEG_TO_RAD);
    return row * KEY_STRIDE + this.colOf(row, lngDeg * DEG_TO_RAD);
  }

  /** Adds point `index` at (latDeg, lngDeg) and returns the key of its cell. */
  insert(index: number, latDeg: number, lngDeg: number): number {
    const key = this.keyOf(latDeg, lngDeg);
    const bucket = this.cells.get(key);
    if (bucket) bucket.push(index);
    else this.cells.set(key, [index]);
    return key;
  }

  /**
   * Upper bound of hav(central angle) between any two points of the cell `key`.
   * Callers compare it with hav(distance / R) to know whether a whole cell lies within a
   * distance (then its points can be linked without measuring each pair).
   */
  maxHavWithinCell(key: number): number {
    const row = Math.floor(key / KEY_STRIDE);
    const cosEdge = Math.cos(this.equatorwardLat(row));
    const width = TWO_PI / this.columns[row];
    return (hav(this.rowHeightRad) + cosEdge * cosEdge * hav(Math.min(Math.PI, width))) * SLACK;
  }

  /**
   * Keys of every cell (whether occupied or not) that may hold a point within `radiusKm` of
   * some point of cell `key`, the cell itself included. Never misses a cell; may include a
   * few cells that turn out to be farther.
   */
  cellsNear(key: number, radiusKm: number): number[] {
    const row = Math.floor(key / KEY_STRIDE);
    const col = key - row * KEY_STRIDE;
    const lo = -HALF_PI + row * this.rowHeightRad;
    const hi = Math.min(HALF_PI, lo + this.rowHeightRad);
    const width = TWO_PI / this.columns[row];
    return this.cellsAround(lo, hi, col * width, (col + 1) * width, radiusKm);
  }

  /** Keys of every cell that may hold a point within `radiusKm` of (latDeg, lngDeg). */
  cellsNearPoint(latDeg: number, lngDeg: number, radiusKm: number): number[] {
    const phi = latDeg * DEG_TO_RAD;
    const lambda = wrap(lngDeg * DEG_TO_RAD + Math.PI);
    return this.cellsAround(phi, phi, lambda, lambda, radiusKm);
  }

  /**
   * Cells near the box [latLo, latHi] × [lngLo, lngHi] (radians; longitudes shifted to
   * [0, 2π) like the columns). A point within angle ρ of the box differs in latitude by at most ρ,
   * and in longitude by at most Δλ with hav(Δλ) ≤ hav(ρ) / (cos φ1 · cos φ2), where both
   * latitudes are bounded by the box's poleward edge plus ρ.
   */
  private cellsAround(latLo: number, latHi: number, lngLo: number, lngHi: number, radiusKm: number): number[] {
    const rho = (radiusKm / EARTH_RADIUS_KM) * SLACK;
    const poleward = Math.max(Math.abs(latLo), Math.abs(latHi));
    const cosProduct = Math.cos(poleward) * Math.cos(Math.min(HALF_PI, poleward + rho));
    const ratio = cosProduct > 0 ? hav(rho) / cosProduct : Infinity;
    const dLng = ratio >= 1 ? Math.PI : 2 * Math.asin(Math.sqrt(ratio)) * SLACK;

    const keys: number[] = [];
    const firstRow = this.rowOf(Math.max(-HALF_PI, latLo - rho));
    const lastRow = this.rowOf(Math.min(HALF_PI, latHi + rho));
    for (let r = firstRow; r <= lastRow; r++) {
      const n = this.columns[r];
      const w = TWO_PI / n;
      const c0 = Math.floor((lngLo - dLng) / w);
      const c1 = Math.floor((lngHi + dLng) / w);
      if (dLng >= Math.PI || c1 - c0 + 1 >= n) {
        for (let c = 0; c < n; c++) keys.push(r * KEY_STRIDE + c);
        continue;
      }
      for (let c = c0; c <= c1; c++) keys.push(r * KEY_STRIDE + (((c % n) + n) % n));
    }
    return keys;
  }

  private rowOf(phi: number): number {
    const r = Math.floor((phi + HALF_PI) / this.rowHeightRad);
    return Math.min(this.rowCount - 1, Math.max(0, r));
  }

  private colOf(row: number, lambda: number): number {
    const n = this.columns[row];
    const c = Math.floor(wrap(lambda + Math.PI) / (TWO_PI / n));
    return Math.min(n - 1, Math.max(0, c));
  }

  /** The latitude (radians) of the row's edge nearest to the equator (0 if the row spans it). */
  private equatorwardLat(row: number): number {
    const lo = -HALF_PI + row * this.rowHeightRad;
    const hi = Math.min(HALF_PI, lo + this.rowHeightRad);
    if (lo <= 0 && hi >= 0) return 0;
    return Math.min(Math.abs(lo), Math.abs(hi));
  }
}

/** Wraps an angle into [0, 2π). */
function wrap(angle: number): number {
  const x = angle % TWO_PI;
  return x < 0 ? x + TWO_PI : x;
}
