/**
 * Numbers stay numbers; numeric strings (`"19.90"`, common in data layers) become numbers, also with thousands
 * grouped by commas before a decimal point (`"1,234.50"`, as PHP's `number_format()` writes an order's total for
 * Magento's GA4 purchase). Anything else (`"1.299,00"`, `"12,800"`) is returned unchanged so that validation names
 * the bad field.
 */
export function toAmount(value: unknown): unknown {
  return typeof value === 'string' && value.length <= 32 && /^\s*(\d+|\d{1,3}(,\d{3})+(?=\.))(\.\d+)?\s*$/.test(value) ? Number(value.replace(/,/g, '')) : value
}
