import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkPack as validatePack } from '../../src/pack/checkPack'
import { COLLECTOR_DEFAULTS } from '../cli/parseCollectorArgs'
import { migrate } from '../storage/migrate'
import { openDatabase } from '../storage/openDatabase'
import { MIN_TRAINING_ANSWERS, retrain } from './retrain'

export const RETRAIN_HELP = `Usage: npm run collector -- retrain [options]

Refits the session pack's intent from the private training answers, checks it on held-out days and writes a
new pack only if it is not worse. Run it on demand or from a daily schedule (cron).

Options:
  --database LOCATION   the collector's store (default ${COLLECTOR_DEFAULTS.database}), or postgres://…
  --pack FILE           the session pack the shop serves now (default src/models/session.json)
  --out FILE            where an accepted pack is written (default .seglet-collector/public/models/session.json)
  --epsilon E           the ε reports carry (default ${COLLECTOR_DEFAULTS.epsilon})
  --window-days N       days of answers to fit from (default ${COLLECTOR_DEFAULTS.windowDays})
  --min-answers N       fewest answers to fit from (default ${MIN_TRAINING_ANSWERS})
  --help                print this help
`

/** `npm run collector -- retrain`: returns the exit code (0 also when it keeps the pack or waits for answers). */
export async function retrainCommand(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv], strict: true, allowPositionals: false,
      options: {
        help: { type: 'boolean' }, database: { type: 'string' }, pack: { type: 'string' }, out: { type: 'string' },
        epsilon: { type: 'string' }, 'window-days': { type: 'string' }, 'min-answers': { type: 'string' },
      },
    }))
  } catch (error) {
    console.error(`seglet collector retrain: ${(error as Error).message.split('\n')[0]} (see --help)`)
    return 2
  }
  if (values.help) {
    process.stdout.write(RETRAIN_HELP)
    return 0
  }
  const number = (name: string, fallback: number, ok: (v: number) => boolean): number | undefined => {
    const raw = values[name] as string | undefined
    if (raw === undefined) return fallback
    const v = Number(raw)
    return ok(v) ? v : undefined
  }
  const epsilon = number('epsilon', COLLECTOR_DEFAULTS.epsilon, (v) => v >= 0.1 && v <= 8)
  const windowDays = number('window-days', COLLECTOR_DEFAULTS.windowDays, (v) => Number.isInteger(v) && v >= 2 && v <= 366)
  const minAnswers = number('min-answers', MIN_TRAINING_ANSWERS, (v) => Number.isInteger(v) && v >= 1)
  if (epsilon === undefined || windowDays === undefined || minAnswers === undefined) {
    console.error('seglet collector retrain: --epsilon must be 0.1–8, --window-days a whole number 2–366, --min-answers a whole number ≥ 1')
    return 2
  }
  const packPath = resolve(String(values.pack ?? 'src/models/session.json'))
  const out = resolve(String(values.out ?? '.seglet-collector/public/models/session.json'))
  let pack
  try {
    pack = validatePack(JSON.parse(readFileSync(packPath, 'utf8')))
  } catch (error) {
    console.error(`seglet collector retrain: ${packPath}: ${(error as Error).message}`)
    return 1
  }
  if (pack.kind !== 'session') {
    console.error(`seglet collector retrain: ${packPath} is a ${pack.kind} pack; retraining refits the session pack's intent`)
    return 1
  }
  const db = await openDatabase(String(values.database ?? COLLECTOR_DEFAULTS.database))
  try {
    await migrate(db)
    const result = await retrain(db, {
      pack, epsilon, windowDays, minAnswers,
      writePack: async (text) => {
        mkdirSync(dirname(out), { recursive: true })
        writeFileSync(out, text)
        return out
      },
    })
    console.log(`seglet collector retrain: ${result.status} (${result.answers} training answers): ${result.reason}${result.written ? `; wrote ${result.written} (version ${result.pack.version})` : ''}`)
    return 0
  } finally {
    await db.close()
  }
}
