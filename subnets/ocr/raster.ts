/**
 * A coverage rasterizer for glyph outlines: curves are flattened to line segments, and each segment adds its
 * signed area to an accumulation buffer whose running sum along the rows is the coverage of each pixel (the
 * exact-area method of font-rs, Raph Levien). Anti-aliased, deterministic, no native code. Overlapping
 * contours of the same direction saturate at full coverage.
 */

/** One outline command in pixel coordinates (y down), the shape opentype.js' `Path.commands` has. */
export type OutlineCommand =
  | { readonly type: 'M' | 'L'; readonly x: number; readonly y: number }
  | { readonly type: 'Q'; readonly x1: number; readonly y1: number; readonly x: number; readonly y: number }
  | { readonly type: 'C'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly x: number; readonly y: number }
  | { readonly type: 'Z' };

/** A closed polygon as flat `[x0, y0, x1, y1, ...]`; the last point connects back to the first. */
export type Polygon = number[];

/** Segments a curve is cut into: grows with the square root of its control polygon's deviation from a line. */
function segmentsFor(deviationSquared: number): number {
  return 1 + Math.floor(Math.sqrt(Math.sqrt(3 * deviationSquared)));
}

/** Flattens outline commands into closed polygons (each `M` starts one; a missing `Z` closes it anyway). */
export function flattenOutline(commands: readonly OutlineCommand[]): Polygon[] {
  const polygons: Polygon[] = [];
  let current: Polygon = [];
  let x = 0;
  let y = 0;
  const finish = (): void => {
    if (current.length >= 6) polygons.push(current);
    current = [];
  };
  for (const command of commands) {
    switch (command.type) {
      case 'M':
        finish();
        x = command.x;
        y = command.y;
        current.push(x, y);
        break;
      case 'L':
        x = command.x;
        y = command.y;
        current.push(x, y);
        break;
      case 'Q': {
        const ddx = x - 2 * command.x1 + command.x;
        const ddy = y - 2 * command.y1 + command.y;
        const n = segmentsFor(ddx * ddx + ddy * ddy);
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          current.push(u * u * x + 2 * u * t * command.x1 + t * t * command.x, u * u * y + 2 * u * t * command.y1 + t * t * command.y);
        }
        x = command.x;
        y = command.y;
        break;
      }
      case 'C': {
        const d1x = x - 2 * command.x1 + command.x2;
        const d1y = y - 2 * command.y1 + command.y2;
        const d2x = command.x1 - 2 * command.x2 + command.x;
        const d2y = command.y1 - 2 * command.y2 + command.y;
        const n = segmentsFor(Math.max(d1x * d1x + d1y * d1y, d2x * d2x + d2y * d2y));
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const c = 3 * u * t * t;
          const d = t * t * t;
          current.push(a * x + b * command.x1 + c * command.x2 + d * command.x, a * y + b * command.y1 + c * command.y2 + d * command.y);
        }
        x = command.x;
        y = command.y;
        break;
      }
      case 'Z':
        finish();
        break;
    }
  }
  finish();
  return polygons;
}

/** Adds one segment's signed area to the accumulation buffer (rows of `width` cells, plus spill cells). */
function accumulateLine(acc: Float64Array, width: number, height: number, px0: number, py0: number, px1: number, py1: number): void {
  if (py0 === py1) return;
  const dir = py0 < py1 ? 1 : -1;
  const [ax, ay, bx, by] = py0 < py1 ? [px0, py0, px1, py1] : [px1, py1, px0, py0];
  const dxdy = (bx - ax) / (by - ay);
  let x = ay < 0 ? ax - ay * dxdy : ax;
  const yEnd = Math.min(height, Math.ceil(by));
  for (let y = Math.max(0, Math.floor(ay)); y < yEnd; y++) {
    const row = y * width;
    const dy = Math.min(y + 1, by) - Math.max(y, ay);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const lo = Math.min(x, xNext);
    const hi = Math.max(x, xNext);
    const loFloor = Math.floor(lo);
    const hiCeil = Math.ceil(hi);
    if (hiCeil <= loFloor + 1) {
      // The segment stays within one pixel column on this row.
      const mid = 0.5 * (x + xNext) - loFloor;
      acc[row + loFloor] += d - d * mid;
      acc[row + loFloor + 1] += d * mid;
    } else {
      const s = 1 / (hi - lo);
      const loFrac = lo - loFloor;
      const a0 = 0.5 * s * (1 - loFrac) * (1 - loFrac);
      const hiFrac = hi - hiCeil + 1;
      const am = 0.5 * s * hiFrac * hiFrac;
      acc[row + loFloor] += d * a0;
      if (hiCeil === loFloor + 2) {
        acc[row + loFloor + 1] += d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - loFrac);
        acc[row + loFloor + 1] += d * (a1 - a0);
        for (let xi = loFloor + 2; xi < hiCeil - 1; xi++) acc[row + xi] += d * s;
        const a2 = a1 + (hiCeil - loFloor - 3) * s;
        acc[row + hiCeil - 1] += d * (1 - a2 - am);
      }
      acc[row + hiCeil] += d * am;
    }
    x = xNext;
  }
}

/**
 * The coverage in [0, 1] of each pixel of a `width x height` canvas by the polygons (non-zero fill), row-major.
 * Points are clamped to `[0, width - 1] x [-inf, inf]`: callers keep shapes inside the canvas, the clamp only
 * guards the buffer against rounding at the edge.
 */
export function rasterizeCoverage(polygons: readonly Polygon[], width: number, height: number): Float32Array {
  // Cells past a row's end spill into the next row's start, which the running sum below treats correctly
  // (each closed row's contributions sum to zero); the two extra cells catch the last row's spill.
  const acc = new Float64Array(width * height + 2);
  const clampX = (value: number): number => Math.min(Math.max(value, 0), width - 1);
  for (const polygon of polygons) {
    const points = polygon.length / 2;
    for (let i = 0; i < points; i++) {
      const j = (i + 1) % points;
      accumulateLine(acc, width, height, clampX(polygon[2 * i]!), polygon[2 * i + 1]!, clampX(polygon[2 * j]!), polygon[2 * j + 1]!);
    }
  }
  const coverage = new Float32Array(width * height);
  let sum = 0;
  for (let i = 0; i < coverage.length; i++) {
    sum += acc[i]!;
    coverage[i] = Math.min(1, Math.abs(sum));
  }
  return coverage;
}
