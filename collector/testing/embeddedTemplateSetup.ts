// Vitest global set-up of the unit tests: writes the template new embedded stores start from (see
// collector/storage/embeddedTemplate.ts) where vitest.config.ts's SEGLET_EMBEDDED_TEMPLATE says, once per PGlite
// version, so the tests' many throwaway stores, in the test processes and in the collector processes they start,
// skip PostgreSQL's initdb. storage.test.ts also opens stores without it.
import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { EMBEDDED_TEMPLATE_VARIABLE, writeEmbeddedTemplate } from '../storage/embeddedTemplate'

export default async function setup(project: TestProject): Promise<void> {
  const path = project.config.env[EMBEDDED_TEMPLATE_VARIABLE]
  if (!path) throw new Error(`vitest.config.ts sets no ${EMBEDDED_TEMPLATE_VARIABLE} for the template to be written to`)
  if (!existsSync(path)) await writeEmbeddedTemplate(path)
}
