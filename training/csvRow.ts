import { DataError } from './dataError'

/** The cells of one CSV data row, read by column name; see {@link csvRow}. */
export interface CsvRow {
  /** The cell of `column`, trimmed; a DataError when the line is too short to have it. */
  cell(column: string): string
  /** The cell of `column` as a number; a DataError when it is empty or not a number (`"six"`, `"3.3x"`). */
  number(column: string): number
  /** A DataError naming the file, the line and `column`: `Online Retail CSV line 4, InvoiceDate: <problem>`. */
  problem(column: string, problem: string): DataError
}

/**
 * Reads the data row `cells` of a CSV whose header is `header`: each value it cannot read is a one-line DataError
 * naming the file (`file`, as `Online Shoppers CSV`), the 1-based `line` the row starts on, and the column.
 *
 * @example
 * const row = csvRow('Online Retail CSV', 4, header, cells)
 * const quantity = row.number('Quantity') // throws `Online Retail CSV line 4, Quantity: "six" is not a number`
 */
export function csvRow(file: string, line: number | undefined, header: readonly string[], cells: readonly string[]): CsvRow {
  const problem = (column: string, what: string) => new DataError(`${file} line ${line}, ${column}: ${what}`)
  const cell = (column: string): string => {
    const value = cells[header.indexOf(column)]
    if (value === undefined) throw problem(column, `missing (the line has ${cells.length} of the header's ${header.length} fields)`)
    return value.trim()
  }
  const number = (column: string): number => {
    const value = cell(column)
    if (value === '' || !Number.isFinite(Number(value))) throw problem(column, `${JSON.stringify(value)} is not a number`)
    return Number(value)
  }
  return { cell, number, problem }
}
