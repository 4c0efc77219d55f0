import { formatDuration } from '../lib/formatDuration'
import { plural } from '../lib/plural'

/** "8 product pages viewed"; nothing counted reads "no product pages viewed", not "0 product pages viewed". */
export const viewed = (noun: string) => (v: number): string => (Math.round(v) > 0 ? `${plural(v, noun)} viewed` : `no ${noun}s viewed`)

/** "6 min on product pages"; under half a second reads "no time on product pages". */
export const timeOn = (where: string) => (v: number): string => (v >= 0.5 ? `${formatDuration(v)} on ${where}` : `no time on ${where}`)

/** The words for a yes/no feature. */
export const flag = (yes: string, no: string) => (v: number): string => (v > 0 ? yes : no)

/** "20%". */
export const percent = (v: number): string => `${Math.round(v * 100)}%`
