/** "1 product page", "8 product pages": the count rounded, then the singular or the plural. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  const n = Math.round(count)
  return `${n} ${n === 1 ? singular : pluralForm}`
}
