// @vitest-environment node
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { createCollectorServer, DEFAULT_MAX_CONNECTIONS, KEEP_ALIVE_MS, REQUEST_TIMEOUT_MS, STALLED_ANSWER_MS } from './createCollectorServer'

// Reads the body as the report endpoint does, then answers 202.
const listener = (req: IncomingMessage, res: ServerResponse) => {
  req.resume()
  req.on('end', () => res.writeHead(202, { 'content-length': '0' }).end())
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((closed) => server.close(closed))
  }
})

async function listen(options: Parameters<typeof createCollectorServer>[1], answer = listener): Promise<number> {
  const server = createCollectorServer(answer, options)
  servers.push(server)
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  return (server.address() as AddressInfo).port
}

/** Opens a connection, writes `text`, and resolves to what came back and how long until the server closed it. */
function hold(port: number, text: string, waitMs = 5_000): Promise<{ answer: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve) => {
    const start = Date.now()
    let answer = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    socket.on('data', (chunk) => (answer += chunk.toString()))
    const give = setTimeout(() => (socket.destroy(), resolve({ answer, closedAfterMs: undefined })), waitMs)
    socket.on('close', () => (clearTimeout(give), resolve({ answer, closedAfterMs: Date.now() - start })))
    socket.on('error', () => {})
  })
}

const HEAD = 'POST /seglet/reports HTTP/1.1\r\nHost: collector\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\n'

it('has timeouts for bodies of a few hundred bytes and a connection cap, keeping idle connections past a balancer', () => {
  const server = createCollectorServer(listener)
  expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS)
  expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(10_000)
  expect(server.headersTimeout).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS)
  expect(server.maxConnections).toBe(DEFAULT_MAX_CONNECTIONS)
  expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_MS)
  expect(createCollectorServer(listener, { maxConnections: 7 }).maxConnections).toBe(7)
})

it('cuts off a client that sends half a body, half its headers or nothing, within the request timeout', async () => {
  const port = await listen({ requestTimeoutMs: 400, checkEveryMs: 50 })
  const [body, headers, nothing] = await Promise.all([hold(port, `${HEAD}${'x'.repeat(100)}`), hold(port, 'POST /seglet/reports HTTP/1.1\r\nHost: coll'), hold(port, '')])
  expect(nothing.closedAfterMs).toBeDefined()
  expect(nothing.closedAfterMs!).toBeLessThan(2_000)
  for (const cut of [body, headers]) {
    expect(cut.closedAfterMs).toBeDefined()
    expect(cut.closedAfterMs!).toBeLessThan(2_000)
    expect(cut.answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(cut.answer).toContain("content-security-policy: default-src 'none'")
    expect(cut.answer).toMatch(/\r\n\r\n\{"error":"request_timeout"\}$/)
  }
})

it('leaves 100 Continue to the listener: a body it refuses by its declared length is never sent, one it reads is asked for', async () => {
  // Refuses by the declared length, as the report endpoint does, else asks for the body and reads it.
  const refusing = (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length']) > 512) return void res.writeHead(413, { 'content-length': '0', connection: 'close' }).end()
    res.writeContinue()
    listener(req, res)
  }
  const port = await listen({ requestTimeoutMs: 2_000 }, refusing)
  const expect100 = (length: number) => `POST /seglet/reports HTTP/1.1\r\nHost: collector\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`
  const large = await hold(port, expect100(100_000), 1_500)
  expect(large.answer).toMatch(/^HTTP\/1\.1 413 /)
  expect(large.answer).not.toContain('100 Continue')
  const small = await new Promise<string>((done) => {
    let text = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(expect100(200)))
    socket.on('data', (chunk) => {
      text += chunk.toString()
      if (text === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('x'.repeat(200))
      if (/\r\n\r\n$/.test(text) && text.includes(' 202 ')) (socket.destroy(), done(text))
    })
    socket.on('error', () => {})
    setTimeout(() => (socket.destroy(), done(text)), 1_500)
  })
  expect(small).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /)
})

it('answers a request it cannot parse 400 with the security headers and a JSON error, and closes the connection', async () => {
  const port = await listen({})
  for (const text of ['GARBAGE\r\n\r\n', 'GET /seglet/health HTTP/1.1\r\nHost: collector\r\nbad header\r\n\r\n', `${HEAD.replace('\r\n\r\n', '\r\nTransfer-Encoding: chunked\r\n\r\n')}`]) {
    const { answer, closedAfterMs } = await hold(port, text)
    expect([text, answer.split('\r\n')[0]]).toEqual([text, 'HTTP/1.1 400 Bad Request'])
    expect(answer).toContain("content-security-policy: default-src 'none'")
    expect(answer).toContain('x-content-type-options: nosniff')
    expect(answer).toContain('connection: close')
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n[^]*\r\n\r\n\{"error":"bad_request"\}$/)
    expect(closedAfterMs).toBeDefined()
  }
  const { answer } = await hold(port, `GET /seglet/health HTTP/1.1\r\nHost: collector\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`)
  expect(answer).toMatch(/^HTTP\/1\.1 431 [^]*\{"error":"headers_too_large"\}$/)
})

it('answers an expectation other than 100-continue 417 with the security headers and a JSON error, and closes the connection', async () => {
  const port = await listen({})
  const { answer, closedAfterMs } = await hold(port, `GET /seglet/health HTTP/1.1\r\nHost: collector\r\nExpect: foo\r\n\r\n`)
  expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 417 Expectation Failed')
  expect(answer).toContain("content-security-policy: default-src 'none'")
  expect(answer).toContain('x-content-type-options: nosniff')
  expect(answer).toMatch(/\r\n\r\n\{"error":"expectation_failed"\}$/)
  expect(closedAfterMs).toBeDefined()
})

it('answers CONNECT 405 with the methods it takes, the security headers and a JSON error, and closes the connection', async () => {
  const port = await listen({})
  for (const target of ['collector:443', '127.0.0.1:5432']) {
    const { answer, closedAfterMs } = await hold(port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`)
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed')
    expect(answer).toContain('allow: GET, HEAD, POST')
    expect(answer).toContain("content-security-policy: default-src 'none'")
    expect(answer).toContain('x-content-type-options: nosniff')
    expect(answer).toContain('connection: close')
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n[^]*\r\n\r\n\{"error":"method_not_allowed"\}$/)
    expect(closedAfterMs).toBeDefined()
  }
})

it('answers a whole request, and keeps an idle keep-alive connection open past the request timeout', async () => {
  const port = await listen({ requestTimeoutMs: 300, checkEveryMs: 50 })
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => (answer += chunk.toString()))
  await new Promise((ready) => socket.once('connect', ready))
  socket.write(`${HEAD}${'x'.repeat(200)}`)
  await new Promise((r) => setTimeout(r, 900))
  expect(socket.destroyed).toBe(false)
  socket.write(`${HEAD}${'x'.repeat(200)}`)
  await new Promise((r) => setTimeout(r, 200))
  expect(answer.match(/HTTP\/1\.1 202 /g)).toHaveLength(2)
  socket.destroy()
})

it('takes no more connections than its cap', async () => {
  const port = await listen({ maxConnections: 1, requestTimeoutMs: 5_000 })
  const first = hold(port, HEAD, 1_000)
  await new Promise((r) => setTimeout(r, 100))
  const second = await hold(port, `${HEAD}${'x'.repeat(200)}`, 1_000)
  expect(second.answer).toBe('')
  expect(second.closedAfterMs).toBeDefined()
  expect((await first).closedAfterMs).toBeUndefined()
})

// A client that asks for a large answer (the chart library, a big insights.json) and never reads it holds its
// connection, and one of the --max-connections, for as long as it likes; Node.js times nothing once the request is in.
it('closes a connection whose client stops reading its answer, but waits for an answer that is slow to be worked out', async () => {
  expect(STALLED_ANSWER_MS).toBeGreaterThanOrEqual(KEEP_ALIVE_MS)
  const big = Buffer.alloc(32 * 1024 * 1024, 'x')
  const port = await listen({ stalledAnswerMs: 300 }, (req, res) => {
    req.resume()
    // The slow one: worked out for longer than the stall time before its first byte.
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200, { 'content-length': '2' }).end('ok'), 800)
    res.writeHead(200, { 'content-length': String(big.length) }).end(big)
  })
  // Seen from the collector's side: the client, paused, would not notice its connection closing.
  const closedOnServer = new Promise<void>((closed) => servers.at(-1)!.once('connection', (socket) => socket.on('close', closed)))
  const client = connect(port, '127.0.0.1', () => client.write('GET /big HTTP/1.1\r\nHost: collector\r\n\r\n'))
  // Reads nothing: the answer fills the socket's buffers and stops.
  client.pause()
  client.on('error', () => {})
  const stalled = await Promise.race([closedOnServer.then(() => true), new Promise((r) => setTimeout(() => r(false), 4_000))])
  client.destroy()
  expect(stalled).toBe(true)
  const slow = await hold(port, 'GET /slow HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n', 3_000)
  expect(slow.answer).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\nok$/)
})

/** A raw keep-alive connection: `send` writes a request and resolves to its whole answer; `closed` once the server closes it. */
async function keptAlive(port: number): Promise<{ send: (text: string) => Promise<string>; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise((connected) => socket.once('connect', connected))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const send = (text: string) =>
    new Promise<string>((resolve) => {
      let answer = ''
      const read = (chunk: Buffer) => {
        answer += chunk.toString()
        if (answer.includes('\r\n\r\n')) (socket.off('data', read), resolve(answer))
      }
      socket.on('data', read)
      socket.write(text)
    })
  return { send, closed }
}

const REPORT = 'POST /seglet/reports HTTP/1.1\r\nHost: collector\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}'

it('stops without closing an idle keep-alive connection at once: a request sent on it is answered, with Connection: close', async () => {
  const server = createCollectorServer(listener)
  servers.push(server)
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const port = (server.address() as AddressInfo).port
  const a = await keptAlive(port)
  const b = await keptAlive(port)
  expect(await a.send(REPORT)).toMatch(/^HTTP\/1\.1 202 [^]*keep-alive/i)
  expect(await b.send(REPORT)).toMatch(/^HTTP\/1\.1 202 [^]*keep-alive/i)
  // Idle for longer than the test lasts: only a request on them, or the stop's grace, closes them.
  let stopped = false
  const stopping = server.stop({ graceMs: 60_000, idleMs: 60_000 }).then(() => (stopped = true))
  // A new connection is no longer taken.
  const refused = await new Promise<string>((resolve) => connect(port, '127.0.0.1').on('error', (e: NodeJS.ErrnoException) => resolve(e.code!)).on('connect', () => resolve('taken')))
  expect(refused).toBe('ECONNREFUSED')
  // Both idle connections are still open: the clients' next reports are answered, and told to close.
  expect(await a.send(REPORT)).toMatch(/^HTTP\/1\.1 202 [^]*connection: close/i)
  await a.closed
  expect(stopped).toBe(false)
  expect(await b.send(REPORT)).toMatch(/^HTTP\/1\.1 202 [^]*connection: close/i)
  await b.closed
  await stopping
})

it('stops once a keep-alive connection nobody reuses has been idle for idleMs, and cuts off one holding a request past graceMs', async () => {
  const server = createCollectorServer(listener)
  servers.push(server)
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const port = (server.address() as AddressInfo).port
  const idle = await keptAlive(port)
  expect(await idle.send(REPORT)).toMatch(/^HTTP\/1\.1 202/)
  const held = hold(port, HEAD + '{"v":', 60_000)
  await new Promise((wake) => setTimeout(wake, 100))
  await server.stop({ graceMs: 300, idleMs: 50 })
  await idle.closed
  expect((await held).closedAfterMs).toBeDefined()
})
