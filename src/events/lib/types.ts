/** An object being validated, read one field at a time. */
export type Fields = Record<string, unknown>
