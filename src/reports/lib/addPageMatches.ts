import { OLH_PRIME } from '../mechanisms/olh'

const TWO31 = 2147483648
const TWO16 = 65536
/** 2^−31, exact: multiplying by it is a division by 2^31 without a division instruction. */
const INV_TWO31 = 1 / TWO31

/** Per candidate list: each code split into 16-bit halves (a·x = a·hi·2^16 + a·lo keeps every product exact). */
export interface PageCodeHalves {
  hi: Float64Array
  lo: Float64Array
}

/** Splits page codes (integers below 2^31) into the halves `addPageMatches` multiplies. */
export function pageCodeHalves(codes: ArrayLike<number>): PageCodeHalves {
  const hi = new Float64Array(codes.length)
  const lo = new Float64Array(codes.length)
  for (let i = 0; i < codes.length; i++) {
    hi[i] = Math.floor(codes[i] / TWO16)
    lo[i] = codes[i] % TWO16
  }
  return { hi, lo }
}

/** v mod (2^31 − 1) for 0 ≤ v < 2^53: 2^31 ≡ 1, so the high part folds onto the low part. */
function mersenne(v: number): number {
  const high = Math.floor(v * INV_TWO31)
  let r = v - high * TWO31 + high
  if (r >= OLH_PRIME) r -= OLH_PRIME
  if (r >= OLH_PRIME) r -= OLH_PRIME
  return r
}

/** h mod g for 0 ≤ h < 2^31 and small g: a multiplication by 1/g, corrected for its rounding (no division). */
function modSmall(h: number, g: number, invG: number): number {
  let r = h - Math.floor(h * invG) * g
  if (r < 0) r += g
  else if (r >= g) r -= g
  return r
}

/**
 * Adds one local-hashing answer (a, b, y) to the match counts of every candidate code x and of x + 1
 * (the code's two bits): support[2k] counts h(x_k) = y, support[2k + 1] counts h(x_k + 1) = y, both[k]
 * counts the two at once, where h(x) = ((a·x + b) mod (2^31 − 1)) mod g. The same hash as `olhHash`,
 * computed with Mersenne folding instead of two floating-point remainders per code, because the collector
 * runs it for every candidate page of every page answer.
 */
export function addPageMatches(
  halves: PageCodeHalves,
  a: number,
  b: number,
  y: number,
  g: number,
  support: { [i: number]: number },
  both: { [i: number]: number },
): void {
  const { hi, lo } = halves
  const invG = 1 / g
  for (let k = 0; k < hi.length; k++) {
    const h0 = mersenne(mersenne(a * hi[k]) * TWO16 + a * lo[k] + b)
    let h1 = h0 + a
    if (h1 >= OLH_PRIME) h1 -= OLH_PRIME
    const hit0 = modSmall(h0, g, invG) === y
    if (modSmall(h1, g, invG) === y) {
      support[2 * k + 1]++
      if (hit0) {
        support[2 * k]++
        both[k]++
      }
    } else if (hit0) support[2 * k]++
  }
}
