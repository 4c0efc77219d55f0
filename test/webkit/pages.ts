// The pages the WebKit tests open: the Chromium tests' own (test/browser/pages/, the demo storefront) and the
// benchmark's product and plain pages (bench/lib/peerPages.mjs), served by scripts/serve.mjs on 127.0.0.1. WebDriver
// has no init scripts: each HTML page is served with the Chromium tests' probe (test/browser/helpers.ts) inlined
// first in its <head>, and with `init` scripts after it.
import { readFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
// @ts-expect-error: plain ES module without types
import { PAGES, VARIANTS } from '../../bench/lib/peerPages.mjs'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { probeScript } from '../browser/helpers'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The benchmark's product page (schema.org Product JSON-LD, a GA4 `view_item`) and plain page, with Seglet. */
export const PRODUCT_PAGE = '/bench/product'
export const PLAIN_PAGE = '/bench/about'

export interface PageServer {
  url: string
  /** Paths of every request the server saw, in order. */
  requests: string[]
  close(): Promise<void>
}

/**
 * Starts the server. `collector` forwards /seglet/* to a collector (scripts/serve.mjs); `init` are functions run in
 * every page before any of its scripts, after the probe.
 */
export async function startPageServer({ collector, init = [] }: { collector?: string; init?: (() => void)[] } = {}): Promise<PageServer> {
  const requests: string[] = []
  const head = `<script>(${probeScript.toString()})();${init.map((fn) => `(${fn.toString()})();`).join('')}</script>`
  const render = async (req: IncomingMessage): Promise<string | undefined> => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
    let html: string
    if (pathname === PRODUCT_PAGE) html = PAGES.product.html(VARIANTS.seglet.head)
    else if (pathname === PLAIN_PAGE) html = PAGES.plain.html(VARIANTS.seglet.head)
    else if (pathname.endsWith('.html') || pathname.endsWith('/') || pathname.startsWith('/spa/')) {
      const file = pathname.startsWith('/spa/')
        ? join(ROOT, 'test/browser/pages/spa.html')
        : pathname.startsWith('/test/')
          ? join(ROOT, pathname)
          : join(ROOT, 'examples/storefront', pathname.endsWith('/') ? pathname + 'index.html' : pathname)
      html = await readFile(file, 'utf8').catch(() => '')
      if (!html) return undefined
    } else return undefined
    return html.replace(/<head>/i, (tag) => tag + head)
  }
  const server = await startServer({ collector, render, onRequest: (req: IncomingMessage) => requests.push(req.url ?? '') })
  return { url: server.url, requests, close: server.close }
}
