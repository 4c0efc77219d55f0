// Reads the README's marked code blocks, so the browser tests run the snippets exactly as a developer copies them.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// A path, not a URL object: under jsdom the global URL is not Node's.
const README = join(dirname(fileURLToPath(import.meta.url)), '../../README.md')

/**
 * Every fenced code block preceded by a `<!-- readme-test: name -->` line, by name. Throws when a name
 * repeats or a marker has no block after it, so a broken marker fails the test instead of testing nothing.
 */
export function readmeSnippets(text = readFileSync(README, 'utf8')): Map<string, { lang: string; code: string }> {
  const out = new Map<string, { lang: string; code: string }>()
  const marker = /<!-- readme-test: ([\w-]+) -->\r?\n(?:\s*\r?\n)*```(\w*)\r?\n([\s\S]*?)\r?\n```/g
  const names = [...text.matchAll(/<!-- readme-test: ([\w-]+) -->/g)].map((m) => m[1])
  for (const m of text.matchAll(marker)) {
    if (out.has(m[1])) throw new Error(`README.md: readme-test "${m[1]}" appears twice`)
    out.set(m[1], { lang: m[2], code: m[3] })
  }
  const missing = names.filter((n) => !out.has(n))
  if (missing.length > 0) throw new Error(`README.md: no code block after readme-test ${missing.join(', ')}`)
  return out
}

/** One snippet's code; throws when the README lacks it. */
export function snippet(name: string, snippets = readmeSnippets()): string {
  const found = snippets.get(name)
  if (!found) throw new Error(`README.md: no readme-test "${name}" block`)
  return found.code
}
