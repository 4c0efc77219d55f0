import { getIndexedDB } from './getIndexedDB'

/**
 * Whether a database `name` exists on this origin, without opening (and so creating) it; `undefined` where
 * the browser cannot list its databases (Firefox before 126). Never rejects.
 */
export async function hasDatabase(name: string): Promise<boolean | undefined> {
  const factory = getIndexedDB()
  if (!factory) return false
  try {
    return (await factory.databases()).some((db) => db.name === name)
  } catch {
    return undefined
  }
}
