// @vitest-environment node
import { expect, it } from 'vitest'
import { isAllowedHost, isFromThisMachine, isLoopbackAddress } from './isAllowedHost'

it('tells a loopback local address, as Node.js gives it, from any other', () => {
  for (const [address, loopback] of [
    ['127.0.0.1', true], ['127.255.3.9', true], ['::1', true], ['::ffff:127.0.0.1', true], ['::FFFF:127.0.0.2', true],
    ['10.0.0.1', false], ['0.0.0.0', false], ['::', false], ['fe80::1', false], ['::ffff:10.0.0.1', false], ['128.0.0.1', false], [undefined, false],
  ] as const) {
    expect([address, isLoopbackAddress(address)]).toEqual([address, loopback])
  }
})

it("tells a connection from this machine, at a loopback address or at one of its own, from another machine's", () => {
  for (const [localAddress, remoteAddress, mine] of [
    ['127.0.0.1', '127.0.0.1', true], ['::1', '::1', true], ['127.0.0.1', '10.0.0.9', true],
    ['192.0.2.2', '192.0.2.2', true], ['::ffff:192.0.2.2', '::ffff:192.0.2.2', true], ['fd00::2', 'fd00::2', true],
    ['192.0.2.2', '192.0.2.7', false], ['::ffff:192.0.2.2', '::ffff:198.51.100.7', false], [undefined, undefined, false],
  ] as const) {
    expect([localAddress, remoteAddress, isFromThisMachine({ localAddress, remoteAddress })]).toEqual([localAddress, remoteAddress, mine])
  }
  expect(isFromThisMachine(undefined)).toBe(false)
})

it('takes a Host naming a loopback name or address or an allowed name, any port, any case; none (HTTP/1.0) too', () => {
  for (const [host, taken] of [
    ['localhost', true], ['localhost:8787', true], ['LOCALHOST', true], ['localhost.', true], ['shop.localhost:5173', true],
    ['127.0.0.1', true], ['127.0.0.1:8787', true], ['127.10.20.30:1', true], ['[::1]', true], ['[::1]:8787', true],
    ['shop.test', true], ['Shop.Test:443', true], [undefined, true], ['', true],
    ['evil.example', false], ['127.0.0.1.evil.example', false], ['localhost.evil.example', false], ['evillocalhost', false],
    ['[::2]', false], ['[::1]evil', false], ['::1', false], ['localhost:80:80', false], ['localhost:x', false], ['shop.test.evil.example', false],
  ] as const) {
    expect([host, isAllowedHost(host, ['shop.test'])]).toEqual([host, taken])
  }
})

it('takes a Host naming the address the connection reached, as a proxy on this machine forwarding there names it, and no other address', () => {
  for (const [host, local, taken] of [
    ['192.0.2.2:8787', '192.0.2.2', true], ['192.0.2.2', '::ffff:192.0.2.2', true], ['[fd00::2]:8787', 'fd00::2', true], ['[FD00::2]', 'fd00::2', true],
    ['192.0.2.2', undefined, false], ['192.0.2.7', '192.0.2.2', false], ['[::ffff:192.0.2.2]', '::ffff:192.0.2.2', false],
    ['fd00::2', 'fd00::2', false], ['[fe80::1]', 'fe80::1%eth0', false], ['evil.example', '192.0.2.2', false],
  ] as const) {
    expect([host, local, isAllowedHost(host, [], local)]).toEqual([host, local, taken])
  }
})
