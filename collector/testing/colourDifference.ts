// Test helper: how far apart two sRGB colours look (CIEDE2000 in CIELAB, D65), to people with normal colour vision
// and, simulated with the matrices of Machado, Oliveira and Fernandes (2009, severity 1), without red, green or blue
// cones.

/** Machado et al. (2009) matrices at full severity, applied to linear-light sRGB. */
export const COLOUR_VISION = {
  normal: null,
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
} as const satisfies Record<string, readonly (readonly number[])[] | null>

export type ColourVision = keyof typeof COLOUR_VISION

const toLinear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
const fromLinear = (c: number) => 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055)

/** `[r, g, b]` (0–255) as someone with `vision` sees it. */
export function simulateVision(rgb: readonly number[], vision: ColourVision): number[] {
  const m = COLOUR_VISION[vision]
  if (!m) return [...rgb]
  const linear = rgb.map(toLinear)
  return m.map((row) => fromLinear(Math.min(1, Math.max(0, row[0]! * linear[0]! + row[1]! * linear[1]! + row[2]! * linear[2]!))))
}

/** CIELAB (D65) of an sRGB colour. */
export function labOf(rgb: readonly number[]): [number, number, number] {
  const [r, g, b] = rgb.map(toLinear) as [number, number, number]
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116)
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047)
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b)
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)]
}

/** CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu and Dalal 2005). */
export function ciede2000([L1, a1, b1]: readonly number[], [L2, a2, b2]: readonly number[]): number {
  const rad = Math.PI / 180
  const Cbar = (Math.hypot(a1!, b1!) + Math.hypot(a2!, b2!)) / 2
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)))
  const a1p = a1! * (1 + G)
  const a2p = a2! * (1 + G)
  const C1p = Math.hypot(a1p, b1!)
  const C2p = Math.hypot(a2p, b2!)
  const hue = (b: number, a: number) => (a === 0 && b === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360)
  const h1p = hue(b1!, a1p)
  const h2p = hue(b2!, a2p)
  let dhp = 0
  if (C1p * C2p !== 0) dhp = h2p - h1p > 180 ? h2p - h1p - 360 : h2p - h1p < -180 ? h2p - h1p + 360 : h2p - h1p
  const dLp = L2! - L1!
  const dCp = C2p - C1p
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad)
  const Lbar = (L1! + L2!) / 2
  const Cbarp = (C1p + C2p) / 2
  let hbar = h1p + h2p
  if (C1p * C2p !== 0) hbar = (Math.abs(h1p - h2p) > 180 ? hbar + (hbar < 360 ? 360 : -360) : hbar) / 2
  const T = 1 - 0.17 * Math.cos((hbar - 30) * rad) + 0.24 * Math.cos(2 * hbar * rad) + 0.32 * Math.cos((3 * hbar + 6) * rad) - 0.2 * Math.cos((4 * hbar - 63) * rad)
  const SL = 1 + (0.015 * (Lbar - 50) ** 2) / Math.sqrt(20 + (Lbar - 50) ** 2)
  const SC = 1 + 0.045 * Cbarp
  const SH = 1 + 0.015 * Cbarp * T
  const RT = -2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7)) * Math.sin(60 * Math.exp(-(((hbar - 275) / 25) ** 2)) * rad)
  return Math.sqrt((dLp / SL) ** 2 + (dCp / SC) ** 2 + (dHp / SH) ** 2 + RT * (dCp / SC) * (dHp / SH))
}

/** How far apart two sRGB colours look to someone with `vision` (CIEDE2000). */
export function colourDifference(x: readonly number[], y: readonly number[], vision: ColourVision): number {
  return ciede2000(labOf(simulateVision(x, vision)), labOf(simulateVision(y, vision)))
}
