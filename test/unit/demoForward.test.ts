// @vitest-environment node
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'

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
