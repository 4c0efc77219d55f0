// Static server for the demo storefront and the browser tests. Serves examples/storefront at /,
// the built SDK at /dist/ and the project's examples at /examples/, on 127.0.0.1 only.
// Usage: node scripts/serve.mjs [--port 8080] (or PORT; 0 picks a free one)
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
}

/** Maps a URL path to a file: /dist/* and /examples/* from the project, everything else from the storefront. */
function toFile(pathname) {
  const clean = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '')
  if (clean.startsWith('/dist/') || clean.startsWith('/examples/') || clean.startsWith('/test/browser/pages/') || clean.startsWith('/bench/pages/') || clean.startsWith('/.build/bench/')) {
    return join(ROOT, clean)
  }
  return join(ROOT, 'examples/storefront', clean)
}

/** The strict Content Security Policy sent with every HTML page by `startServer({ csp: true })`. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"

/**
 * Starts the server. `csp: true` sends a strict Content Security Policy with every HTML page.
 * `onRequest` sees every request (the browser tests record them).
 * `collector` (e.g. http://127.0.0.1:8787) forwards /seglet/* to a Seglet collector, so the shop's pages reach it
 * on their own origin, as a shop's reverse proxy would; `clientAddress(req)` names the address it forwards as the
 * client's (default: the connection's; a test that plays many shoppers from one machine gives each its own). `mounts` serves more folders
 * (`{ '/app/': '/tmp/build' }`, a built test app); `render(req)` may answer a request with HTML of its own
 * (a server-rendered page), or with `{ body, headers }` (headers such as a Content-Security-Policy, or another
 * content-type), or return `undefined` to let the files answer.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startServer({ port = 0, csp = false, onRequest, collector, clientAddress, mounts = {}, render } = {}) {
  const server = createHttpServer(async (req, res) => {
    onRequest?.(req)
    if (collector && (req.url ?? '').startsWith('/seglet/')) {
      forward(req, res, collector, clientAddress?.(req) ?? req.socket.remoteAddress ?? '')
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    try {
      const answer = await render?.(req)
      if (answer !== undefined) {
        const { body, headers } = typeof answer === 'string' ? { body: answer, headers: {} } : answer
        res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...headers }).end(body)
        return
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
      return
    }
    const mount = Object.keys(mounts).find((prefix) => url.pathname.startsWith(prefix))
    const base = mount ? resolve(mounts[mount]) : ROOT
    let file = mount ? join(base, normalize(decodeURIComponent(url.pathname.slice(mount.length))).replace(/^(\.\.[/\\])+/, '')) : toFile(url.pathname)
    if (!file.startsWith(base)) {
      res.writeHead(403).end()
      return
    }
    try {
      let info = await stat(file)
      if (info.isDirectory()) {
        file = join(file, 'index.html')
        info = await stat(file)
      }
    } catch {
      // Demo routes without an extension fall back to their .html file (SPA-like URLs such as /products/mug).
      if (!extname(file)) file = file.replace(/\/?$/, '.html')
    }
    try {
      const info = await stat(file)
      // Revalidated on every use (edits show at once) but cacheable, as on a real shop: the browser keeps
      // its compiled code for scripts it has seen.
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'cache-control': 'no-cache' }).end()
        return
      }
      let body = await readFile(file)
      const type = TYPES[extname(file)] ?? 'application/octet-stream'
      // With a collector behind it, the demo's script tag turns private reports on (same-origin endpoint).
      if (collector && type.startsWith('text/html')) {
        body = Buffer.from(String(body).replace('<script src="/dist/seglet.min.js"', '<script src="/dist/seglet.min.js" data-reports="/seglet/reports"'))
      }
      const headers = { 'content-type': type, 'cache-control': 'no-cache', etag }
      if (csp && type.startsWith('text/html')) {
        headers['content-security-policy'] = STRICT_CSP
      }
      res.writeHead(200, headers).end(body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
    }
  })
  // A taken port rejects (EADDRINUSE) for the caller to say so; unheard, the 'error' event would crash the process.
  await new Promise((ok, fail) => {
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => (server.off('error', fail), ok()))
  })
  const { port: actual } = server.address()
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  }
}

/**
 * Forwards one request to the collector, as the shop's reverse proxy would (adding X-Forwarded-For: `client`), with
 * the Host the browser named: a collector that checks it (`--allowed-host`) refuses a page of another site that made
 * its own name resolve to 127.0.0.1, here as on its own port.
 */
function forward(req, res, collector, client) {
  const target = new URL(req.url, collector)
  const headers = { ...req.headers, 'x-forwarded-for': client }
  const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
    res.end('The collector is not reachable')
  })
  req.pipe(upstream)
}

/**
 * The port given as `name` on the command line, else `fallback` (PORT, or a default): a whole number from `min` to
 * 65535 (0: a free one). Anything else is said in one line, naming `tool`, and the process exits 1.
 */
export function portArg(tool, name, fallback, min = 1) {
  const i = process.argv.indexOf(name)
  const value = i > 0 ? process.argv[i + 1] : fallback
  if (!/^\d+$/.test(String(value)) || Number(value) < min || Number(value) > 65535) {
    console.error(`${tool}: ${i > 0 ? name : 'PORT'} must be a port from ${min} to 65535${min === 0 ? ' (0: a free one)' : ''}, got ${value === undefined ? 'nothing' : JSON.stringify(String(value))}`)
    process.exit(1)
  }
  return Number(value)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // An empty PORT is unset, as for npm start; a port taken is said in one line too.
  const port = portArg('serve.mjs', '--port', process.env.PORT || '8080', 0)
  const { url } = await startServer({ port }).catch((error) => {
    const taken = error.code === 'EADDRINUSE'
    console.error(`serve.mjs: cannot listen on 127.0.0.1:${port}: ${taken ? 'the port is in use; stop what uses it, or pick another with --port' : error.message}`)
    process.exit(1)
  })
  process.stdout.write(`Seglet demo storefront: ${url}/\n`)
}
