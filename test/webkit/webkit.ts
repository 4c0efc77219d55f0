// WebKit (WebKitGTK's MiniBrowser, JavaScriptCore) driven through WebKitWebDriver with the classic W3C WebDriver
// HTTP protocol and Node's fetch, on a virtual display of its own (Xvfb). Every request the browser makes for a
// host other than 127.0.0.1 goes to a proxy here that records it and refuses it: nothing leaves the machine.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The driver; Debian's `webkit2gtk-driver` package by default. */
export const WEBDRIVER_PATH = process.env.WEBKIT_WEBDRIVER_PATH ?? '/usr/bin/WebKitWebDriver'

/** The browser the driver starts: WebKitGTK's MiniBrowser (Debian's `libwebkit2gtk-4.1-0` ships it). */
export const MINIBROWSER_PATH =
  process.env.WEBKIT_MINIBROWSER_PATH ??
  ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser'].find(existsSync) ??
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'

/** Why WebKit cannot run here (`undefined`: it can). */
export function webkitMissing(): string | undefined {
  for (const [what, path, install] of [
    ['WebKitWebDriver', WEBDRIVER_PATH, 'webkit2gtk-driver'],
    ['MiniBrowser', MINIBROWSER_PATH, 'webkit2gtk-driver'],
    ['Xvfb', '/usr/bin/Xvfb', 'xvfb'],
  ] as const) {
    if (!existsSync(path)) return `${what} not found at ${path} (apt-get install ${install}; WEBKIT_WEBDRIVER_PATH and WEBKIT_MINIBROWSER_PATH name others)`
  }
  return undefined
}

/** One W3C WebDriver session: one MiniBrowser with its own (ephemeral) storage. */
export interface WebKitSession {
  /** Opens `url` in the current window and resolves once it has loaded. */
  goto(url: string): Promise<void>
  /** The current window's URL as of the last navigation through the session (Playwright's `page.url()` shape). */
  url(): string
  /**
   * Runs `fn(arg)` in the page (Playwright's `page.evaluate` shape, so the Chromium tests' page readers work here):
   * awaited there, its JSON-serialisable result returned; a throw or rejection in the page rejects here.
   */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>
  /** Polls `fn(arg)` in the page until it is truthy, up to `timeout` ms (Playwright's shape too). */
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number }): Promise<void>
  /** An attribute of the first element that `selector` matches (Playwright's shape). */
  getAttribute(selector: string, name: string): Promise<string | null>
  /** The cookies of the current page's origin, as the browser keeps them (WebDriver `GET /cookie`). */
  cookies(): Promise<Array<{ name: string; value: string; path: string; sameSite?: string; httpOnly: boolean; secure: boolean; expiry?: number }>>
  back(): Promise<void>
  forward(): Promise<void>
  /** Opens a new window (a tab) and switches to it; resolves to its handle. */
  newWindow(): Promise<string>
  /** The handle of the current window. */
  windowHandle(): Promise<string>
  switchTo(handle: string): Promise<void>
  /** Closes the current window; switch to another one afterwards. */
  closeWindow(): Promise<void>
  /** Ends the session (the browser quits). */
  close(): Promise<void>
}

export interface WebKit {
  /** Starts a new browser (a new session): a new shopper, with empty storage. */
  newSession(): Promise<WebKitSession>
  /** URLs the browser asked for off this machine (refused). */
  offMachine: string[]
  close(): Promise<void>
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts Xvfb on a free display, the proxy that refuses everything, and the driver on a free port. */
export async function startWebKit(): Promise<WebKit> {
  const offMachine: string[] = []
  const children: ChildProcess[] = []
  const trap: Server = createServer((req, res) => {
    offMachine.push(`${req.method} ${req.url}`)
    res.writeHead(403).end()
  })
  // A proxy's HTTPS tunnels (CONNECT) are recorded and refused alike.
  trap.on('connect', (req, socket) => {
    offMachine.push(`CONNECT ${req.url}`)
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
  })
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    await new Promise((closed) => trap.close(closed))
  }
  try {
    await new Promise<void>((ready) => trap.listen(0, '127.0.0.1', ready))
    const proxy = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`
    // `-displayfd 3`: Xvfb picks a free display and writes its number to fd 3 once it accepts clients.
    const xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] })
    children.push(xvfb)
    const display = await new Promise<string>((ready, fail) => {
      let out = ''
      xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
        out += chunk
        if (out.includes('\n')) ready(':' + out.trim())
      })
      xvfb.once('exit', (code) => fail(new Error(`Xvfb exited (${code})`)))
    })
    const port = await freePort()
    const driver = spawn(WEBDRIVER_PATH, [`--port=${port}`, '--host=local'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } })
    children.push(driver)
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(base + '/status')).ok) break
      } catch {
        if (i > 100) throw new Error('WebKitWebDriver did not start')
        await wait(100)
      }
    }
    const args = [
      '--automation',
      // Everything but 127.0.0.1 through the trap; no DNS prefetching.
      `--proxy=${proxy}`,
      '--ignore-host=127.0.0.1',
      '--enable-dns-prefetching=false',
      '--enable-hyperlink-auditing=false',
    ]
    return {
      offMachine,
      async newSession() {
        const created = await command<{ sessionId: string }>(base, 'POST', '/session', {
          capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args } } },
        })
        return createSession(`${base}/session/${created.sessionId}`)
      },
      close: stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const { port } = server.address() as AddressInfo
  await new Promise((closed) => server.close(closed))
  return port
}

async function command<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  // Longer than the driver's own script timeout (30 s), so a page that never answers is its error, not a hang here.
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(45_000) }).catch((error: unknown) => {
    throw new Error(`WebDriver ${method} ${path}: ${String(error)}`)
  })
  const { value } = (await response.json()) as { value: T & { error?: string; message?: string } }
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`)
  return value
}

function createSession(base: string): WebKitSession {
  const send = <T>(method: string, path: string, body?: unknown) => command<T>(base, method, path, body)
  const evaluate = async <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> => {
    // The function's source runs in the page; its settled value comes back through the driver's callback.
    const script = `const done = arguments[1]; Promise.resolve().then(() => (${fn.toString()})(arguments[0]))
      .then((value) => done({ value: value === undefined ? null : value }), (e) => done({ error: String(e && e.stack ? e + '\\n' + e.stack : e) }))`
    const result = await send<{ value?: Awaited<R>; error?: string }>('POST', '/execute/async', { script, args: [arg ?? null] })
    if (result.error !== undefined) throw new Error(`in WebKit: ${result.error}`)
    return result.value as Awaited<R>
  }
  let current = 'about:blank'
  const navigate = async (path: string, body: unknown) => {
    await send('POST', path, body)
    current = await send<string>('GET', '/url')
  }
  return {
    goto: (url) => navigate('/url', { url }),
    url: () => current,
    evaluate,
    async waitForFunction(fn, arg, { timeout = 15_000 } = {}) {
      const until = Date.now() + timeout
      while (!(await evaluate(fn as (a: unknown) => unknown, arg))) {
        if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${fn.toString().slice(0, 200)}`)
        await wait(50)
      }
    },
    getAttribute: (selector, name) => evaluate(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? null, [selector, name] as const),
    cookies: () => send('GET', '/cookie'),
    back: () => navigate('/back', {}),
    forward: () => navigate('/forward', {}),
    async newWindow() {
      const { handle } = await send<{ handle: string }>('POST', '/window/new', { type: 'tab' })
      await send('POST', '/window', { handle })
      current = await send<string>('GET', '/url')
      return handle
    },
    windowHandle: () => send('GET', '/window'),
    async switchTo(handle) {
      await send('POST', '/window', { handle })
      current = await send<string>('GET', '/url')
    },
    closeWindow: () => send('DELETE', '/window'),
    close: () => send('DELETE', ''),
  }
}
