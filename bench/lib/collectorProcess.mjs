// The collector as its own process, for the collector benchmarks: `node collector/run.mjs <args>` from the repository,
// resolved once it prints that it is listening (rejected if it exits first); stopped with SIGTERM.
import { spawn } from 'node:child_process'

/** Starts `node [nodeArgs] collector/run.mjs args` in `root`; its stderr goes to the bench's. */
export async function startCollectorProcess(root, args, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, 'collector/run.mjs', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((ready, fail) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('listening')) ready()
    })
    child.once('exit', (code) => fail(new Error(`collector exited with ${code}`)))
  })
  child.stdout.resume()
  return child
}

/** Stops it and resolves once it has exited. */
export const stopCollectorProcess = (child) =>
  new Promise((done) => {
    child.once('exit', done)
    child.kill('SIGTERM')
  })
