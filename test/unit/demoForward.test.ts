// @vitest-environment node
import { createServer, request } from 'node:http'
import { spawn, spawnSync } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'


/** Runs a demo script to its end with `args` and more environment, as a shell would. */
const runScript = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 })

it('the demo storefront forwards /seglet/ with the Host the browser named, for the collector to check it', async () => {
  const seen: Array<string | undefined> = []
  const collector = createServer((req, res) => (seen.push(req.headers.host), res.end('{}')))
  await new Promise<void>((ready) => collector.listen(0, '127.0.0.1', ready))
  const shop = await startServer({ collector: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` })
  try {
    for (const host of ['evil.example:8080', '127.0.0.1:8080']) {
      await new Promise<void>((done, fail) => request(`${shop.url}/seglet/health`, { headers: { host } }, (res) => (res.resume(), res.on('end', done))).on('error', fail).end())
    }
    expect(seen).toEqual(['evil.example:8080', '127.0.0.1:8080'])
  } finally {
    await shop.close()
    await new Promise((closed) => collector.close(closed))
  }
})

it('the demo storefront rejects with the reason when its port is taken, for `npm start` to say so, rather than crashing', async () => {
  const taken = createServer()
  await new Promise<void>((ready) => taken.listen(0, '127.0.0.1', ready))
  try {
    const port = (taken.address() as AddressInfo).port
    await expect(startServer({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  } finally {
    await new Promise((closed) => taken.close(closed))
  }
})

it('`npm start` refuses a port that is not one from 1 to 65535, naming the option, before it starts anything', () => {
  const run = (args: string[], env: Record<string, string> = {}) => runScript('scripts/start.mjs', args, env)
  for (const [args, env, said] of [
    [['--port', 'abc'], {}, '--port must be a port from 1 to 65535, got "abc"'],
    [['--collector-port'], {}, '--collector-port must be a port from 1 to 65535, got nothing'],
    [['--port', '0'], {}, '--port must be a port from 1 to 65535, got "0"'],
    [[], { PORT: '70000' }, 'PORT must be a port from 1 to 65535, got "70000"'],
    // An empty PORT is unset: the port checked next, --collector-port, is the one refused.
    [['--collector-port', 'abc'], { PORT: '' }, '--collector-port must be a port from 1 to 65535, got "abc"'],
  ] as const) {
    const result = run([...args], env)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(said)
    expect(result.stdout).not.toContain('Seglet demo storefront')
  }
})

it('`npm start` with the storefront\'s port taken at 65535 suggests 65534, a port it takes', async () => {
  const taken = createServer()
  await new Promise<void>((ready, fail) => taken.once('error', fail).listen(65535, '127.0.0.1', ready))
  try {
    const result = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '65535'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('exit', (status) => done({ status, stderr }))
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('npm start -- --port 65534')
  } finally {
    await new Promise((closed) => taken.close(closed))
  }
})

it('the storefront alone (scripts/serve.mjs) refuses a port that is not one from 0 to 65535, and a port taken, in one line', async () => {
  const run = (args: string[], env: Record<string, string> = {}) => runScript('scripts/serve.mjs', args, env)
  for (const [args, env, said] of [
    [['--port', 'abc'], {}, 'serve.mjs: --port must be a port from 0 to 65535 (0: a free one), got "abc"'],
    [['--port'], {}, 'serve.mjs: --port must be a port from 0 to 65535 (0: a free one), got nothing'],
    [['--port', '1.5'], {}, 'serve.mjs: --port must be a port from 0 to 65535 (0: a free one), got "1.5"'],
    [[], { PORT: '70000' }, 'serve.mjs: PORT must be a port from 0 to 65535 (0: a free one), got "70000"'],
    [[], { PORT: '-1' }, 'serve.mjs: PORT must be a port from 0 to 65535 (0: a free one), got "-1"'],
  ] as const) {
    const result = run([...args], env)
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(said)
    expect(result.stdout).not.toContain('Seglet demo storefront')
  }
  const taken = createServer()
  await new Promise<void>((ready) => taken.listen(0, '127.0.0.1', ready))
  try {
    const port = (taken.address() as AddressInfo).port
    const result = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('exit', (status) => done({ status, stderr }))
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(`serve.mjs: cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it, or pick another with --port`)
  } finally {
    await new Promise((closed) => taken.close(closed))
  }
})
