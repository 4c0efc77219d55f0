import { domainToASCII } from 'node:url'
import { CollectorError } from './CollectorError'

const NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const IPV6 = /^\[[0-9a-f:.]+\]$/

/**
 * A name the collector answers for besides the loopback ones (`--allowed-host`), as `Host` headers are compared with
 * it: lower case, without a trailing dot. An internationalised name (`ショップ.example`, `münchen-schuhe.de`) is taken
 * in the ASCII form browsers send in `Host` (`xn--xckya1d0c.example`). `*` (any host) stays `*`. Anything else, a port
 * included (any port is taken), is a `CollectorError` (`collector_option`) naming `--allowed-host`.
 *
 * @example
 * toAllowedHost('Shop.test') // 'shop.test'
 * toAllowedHost('ショップ.test') // 'xn--xckya1d0c.test'
 */
export function toAllowedHost(name: string): string {
  // Only a name with other than ASCII characters is converted: domainToASCII would also take what NAME refuses.
  const ascii = /[^\x00-\x7f]/.test(name) ? domainToASCII(name) : name
  const host = ascii.toLowerCase().replace(/\.$/, '')
  if (host === '*' || NAME.test(host) || IPV4.test(host) || IPV6.test(host)) return host
  throw new CollectorError('collector_option', `--allowed-host must be a host name like shop.test (without a port), an IP address or *, not "${name}"`, '--allowed-host')
}
