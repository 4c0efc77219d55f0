import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { SECURITY_HEADER_LIST } from './securityHeaders'

/** How long an idle keep-alive connection is kept open, in ms: longer than a load balancer's idle timeout. */
export const KEEP_ALIVE_MS = 65_000

/**
 * How long a request may take to arrive whole, headers and body, in ms. A report is a few hundred bytes: a client
 * still sending after this long is holding the connection (Node.js would wait 5 minutes), and is answered `408`.
 */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * How long an answer under way may go without the client reading any of it, in ms, before its connection is
 * closed: a client that asks for a large answer (the chart library, insights.json) and never reads it would hold
 * the connection, one of `--max-connections`, for good. An answer still being worked out is not timed by it.
 */
export const STALLED_ANSWER_MS = 65_000

/** Connections open at once past which new ones are closed as they come (`--max-connections`). */
export const DEFAULT_MAX_CONNECTIONS = 1_000

/**
 * How long a keep-alive connection may stay idle once the collector is stopping, in ms, before it is closed. A
 * client reusing it within that time is answered, with `Connection: close`; one that has not used it by then is
 * unlikely to be about to.
 */
export const STOP_IDLE_MS = 1_000

/** The collector's HTTP server (`createCollectorServer`): a Node.js `Server` that can also stop without losing requests. */
export interface CollectorServer extends Server {
  /**
   * Stops taking connections and resolves once every open one is closed. Each request from then on, and each under
   * way whose answer has not begun, is answered with `Connection: close` and its connection closed after it; a
   * connection with no request under way is closed once idle for `idleMs`. Past `graceMs`, every connection still
   * open is closed (a client holding a request half sent). Unlike `server.close()` of Node.js, it never closes an
   * idle keep-alive connection at once: a client may already be sending its next request on it, which would be lost.
   */
  stop(options: { graceMs: number; idleMs?: number }): Promise<void>
}

/** Options of `createCollectorServer`. */
export interface CollectorServerOptions {
  /** Most connections open at once; more are closed as they come. @default DEFAULT_MAX_CONNECTIONS */
  maxConnections?: number
  /** How long a request may take to arrive whole (headers too), in ms. @default REQUEST_TIMEOUT_MS */
  requestTimeoutMs?: number
  /** How long an answer under way may go without the client reading any of it, in ms. @default STALLED_ANSWER_MS */
  stalledAnswerMs?: number
  /** How often requests are checked against it, in ms (a request is cut off up to this much later). @default 1000 */
  checkEveryMs?: number
}

/**
 * The HTTP server the collector listens with: `listener` (`collector.listener`) with timeouts for bodies of a few
 * hundred bytes and a cap on connections, so slow clients cannot hold the collector's connections for minutes. A
 * request with `Expect: 100-continue` goes to `listener` untold: it calls `res.writeContinue()` when it wants the body.
 *
 * @example
 * createCollectorServer(collector.listener, { maxConnections: 2_000 }).listen(8787, '127.0.0.1')
 */
export function createCollectorServer(listener: (req: IncomingMessage, res: ServerResponse) => void, options: CollectorServerOptions = {}): CollectorServer {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const stalledAnswerMs = options.stalledAnswerMs ?? STALLED_ANSWER_MS
  // Each open connection: its requests under way, and once stopping, the timer that closes it when left idle.
  const connections = new Map<Socket, { answers: Set<ServerResponse>; idle?: ReturnType<typeof setTimeout> }>()
  let stopIdleMs: number | undefined
  const closeWhenIdle = (socket: Socket) => {
    const connection = connections.get(socket)
    if (stopIdleMs === undefined || !connection || connection.answers.size > 0) return
    clearTimeout(connection.idle)
    connection.idle = setTimeout(() => socket.destroy(), stopIdleMs)
  }
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const connection = connections.get(req.socket)
    if (connection) {
      clearTimeout(connection.idle)
      connection.answers.add(res)
      res.once('close', () => (connection.answers.delete(res), closeWhenIdle(req.socket)))
    }
    // Stopping: the client is told not to send another request on this connection, which closes after the answer.
    if (stopIdleMs !== undefined) res.shouldKeepAlive = false
    // The socket's inactivity timer, for this answer only (after it, the keep-alive timeout takes over). Its first
    // byte may take a while (a slow database): only once the answer has begun does a silence mean the client stopped
    // reading; writing, or the client reading, starts the time again.
    res.setTimeout(stalledAnswerMs, () => {
      if (res.headersSent) res.destroy()
    })
    listener(req, res)
  }
  const server = createServer(
    // Headers have the same time as the whole request: both are a few hundred bytes. Only a request under way
    // is timed: an idle keep-alive connection waits for its next request up to the keep-alive timeout.
    { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: options.checkEveryMs ?? 1_000 },
    answer,
  )
  // Node.js would say `100 Continue` to any `Expect: 100-continue`, and the client send a body only to be refused
  // (413 over the limit, 403 cross-site): the listener says it (`res.writeContinue()`) when it reads the body, which
  // `collector.listener` does only within the collector's own `maxBodyBytes`. Refused first, the body is never sent.
  server.on('checkContinue', answer)
  // Any other expectation (`Expect: foo`) Node.js would refuse with a bare 417: answered as the collector's other
  // errors, with its security headers and a JSON error; the body, never read, is not waited for.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    const body = '{"error":"expectation_failed"}'
    res.writeHead(417, [...SECURITY_HEADER_LIST, 'content-type', 'application/json', 'content-length', String(body.length), 'connection', 'close']).end(body)
  })
  // A CONNECT (a proxy's tunnel) Node.js would close unanswered: answered 405 as another method on the collector's
  // paths, naming the methods it takes anywhere, and the connection closed (nothing was tunnelled, nothing is read).
  server.on('connect', (_req: IncomingMessage, socket: Duplex & { bytesWritten?: number }) => {
    writeRawAnswer(socket, 405, 'Method Not Allowed', 'method_not_allowed', ['allow', 'GET, HEAD, POST'])
    socket.destroy()
  })
  // Idle keep-alive connections are kept longer than a load balancer's (60 s is the common default): closed
  // first by the collector, a connection the balancer is reusing gives that request a 502.
  server.on('clientError', answerClientError)
  server.keepAliveTimeout = KEEP_ALIVE_MS
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { answers: new Set() })
    socket.once('close', () => (clearTimeout(connections.get(socket)?.idle), connections.delete(socket)))
  })
  const stop = ({ graceMs, idleMs = STOP_IDLE_MS }: { graceMs: number; idleMs?: number }) =>
    new Promise<void>((closed) => {
      stopIdleMs = idleMs
      for (const [socket, connection] of connections) {
        for (const res of connection.answers) if (!res.headersSent) res.shouldKeepAlive = false
        closeWhenIdle(socket)
      }
      const cut = setTimeout(() => server.closeAllConnections(), graceMs)
      // The listening socket only: `server.close()` of Node.js would also close idle keep-alive connections now.
      NetServer.prototype.close.call(server, () => (clearTimeout(cut), closed()))
    })
  return Object.assign(server, { stop })
}

/** What Node.js answers a request it cannot parse or that came too slowly (its own codes), as the collector's errors. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'request_too_large'],
}

/**
 * Answers a request Node.js refuses before any route sees it (a malformed request line or header, a request not
 * whole within the request timeout) as Node.js would, but with the collector's security headers and a JSON error
 * (`{"error":"bad_request"}`), then closes the connection. Nothing is written once an answer has begun.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex & { bytesWritten?: number }): void {
  if (error.code !== 'ECONNRESET') {
    const [status, reason, code] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'bad_request']
    writeRawAnswer(socket, status, reason, code)
  }
  socket.destroy(error)
}

/**
 * Writes an answer straight to a connection no `ServerResponse` serves (`{"error":"<code>"}` with the security
 * headers and `Connection: close`), unless it is closed or an answer has begun on it; closing it is the caller's.
 */
function writeRawAnswer(socket: Duplex & { bytesWritten?: number }, status: number, reason: string, code: string, extra: readonly string[] = []): void {
  if (!socket.writable || socket.bytesWritten) return
  const body = `{"error":"${code}"}`
  const headers = [...SECURITY_HEADER_LIST, ...extra, 'content-type', 'application/json', 'content-length', String(body.length), 'connection', 'close']
  let head = `HTTP/1.1 ${status} ${reason}\r\n`
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`
  socket.write(`${head}\r\n${body}`)
}
