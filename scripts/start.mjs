// `npm start`: the demo storefront and the collector together, on the embedded store, so both sides show from one
// command. The storefront forwards /seglet/* to the collector (as a shop's reverse proxy would), so its pages send
// reports to their own origin. Usage: node scripts/start.mjs [--port 8080] [--collector-port 8787]
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { portArg, startServer } from './serve.mjs'
import { storefrontPageKeys } from './storefrontPageKeys.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
// A port is a whole number from 1 to 65535; anything else is said at once, before anything is started.
const arg = (name, fallback) => portArg('npm start', name, fallback)
// An empty PORT (`PORT= npm start`) is unset, as for most tools that read it.
const port = arg('--port', process.env.PORT || '8080')
const collectorPort = arg('--collector-port', '8787')
// The next port, or the one below the last (65535).
const otherPort = (p) => (p < 65535 ? p + 1 : p - 1)

// The demo's page keys, read from its pages' <meta name="seglet:page-key">, are the collector's candidates.
const pageKeys = new Set(storefrontPageKeys())

// Behind the storefront (--trust-proxy), the collector would answer any Host: naming 127.0.0.1, which it answers for
// anyway, keeps it to this machine's names, so a site the developer visits cannot read the dashboard by making its
// own name resolve to 127.0.0.1 (on either port: the storefront forwards the Host it was sent).
const args = ['collector/run.mjs', '--port', String(collectorPort), '--database', '.seglet-collector/db', '--trust-proxy', '--allowed-host', '127.0.0.1', '--allowed-origin', `http://127.0.0.1:${port}`]
if (pageKeys.size > 0) args.push('--page-keys', [...pageKeys].join(','))
// The storefront listens first: with its port taken (another dev server on 8080), nothing else is started, so no
// collector is left running with the store's lock.
const { url } = await startServer({ port, collector: `http://127.0.0.1:${collectorPort}` }).catch((error) => {
  const taken = error.code === 'EADDRINUSE'
  console.error(taken ? `The demo storefront cannot listen on 127.0.0.1:${port}: the port is in use. Stop what uses it, or pick another: npm start -- --port ${otherPort(port)}` : `The demo storefront cannot start: ${error.message}`)
  process.exit(1)
})
const collector = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
collector.on('exit', (code, signal) => {
  // Ctrl-C stops both: the collector closes its database and exits 0, which is no failure.
  if (code === 0) console.log('The collector stopped.')
  else {
    console.error(`The collector stopped (${code === null ? `signal ${signal}` : `exit code ${code}`}); the demo stops with it.`)
    // The collector's own line names its --port; here that port is --collector-port.
    if (code === 1) console.error(`If it said its port is in use, pick another: npm start -- --collector-port ${otherPort(collectorPort)}`)
  }
  process.exit(code ?? 1)
})
process.stdout.write(`Seglet demo storefront: ${url}/\nThe shop's side (the collector's dashboard): ${url}/seglet/dashboard\n`)
const stop = () => {
  collector.kill('SIGTERM')
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
