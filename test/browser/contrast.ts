/**
 * WCAG 2.1 contrast ratio of a CSS colour as the browser computes it (`rgb(…)` or `rgba(…)`) drawn over `under`
 * (opaque): a translucent colour is blended over it first, as it is painted.
 */
export function contrast(color: string, under: string): number {
  const channels = (c: string) => c.match(/[\d.]+/g)!.map(Number)
  const [r, g, b, a = 1] = channels(color)
  const back = channels(under).slice(0, 3)
  const luminance = (rgb: number[]) =>
    rgb
      .map((v) => v / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0)
  const [x, y] = [luminance([r!, g!, b!].map((c, i) => c * a + back[i]! * (1 - a))), luminance(back)].sort((p, q) => q - p)
  return (x! + 0.05) / (y! + 0.05)
}
