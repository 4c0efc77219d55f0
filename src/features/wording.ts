import { formatDuration } from '../lib/formatDuration'
import { plural } from '../lib/plural'

/** "8 shopping pages viewed"; nothing counted reads "no shopping pages viewed", not "0 shopping pages viewed". */
export const viewed = (noun: string) => (v: number): string => (Math.round(v) > 0 ? `${plural(v, noun)} viewed` : `no ${noun}s viewed`)

/** "6 min on shopping pages"; under half a second reads "no time on shopping pages". */
export const timeOn = (where: string) => (v: number): string => (v >= 0.5 ? `${formatDuration(v)} on ${where}` : `no time on ${where}`)

/** The words for a yes/no feature. */
export const flag = (yes: string, no: string) => (v: number): string => (v > 0 ? yes : no)

/** "20%". */
export const percent = (v: number): string => `${Math.round(v * 100)}%`
