import { ReportError } from '../errors'
import { checkContext } from './lib/checkContext'
import { fromHex } from './lib/hex'
import { isReportDay } from './lib/isReportDay'
import { isReportEpsilon, toReportEpsilon } from './lib/isReportEpsilon'
import { questionMechanism } from './lib/questionMechanism'
import { LEARN_TABLES } from './learn/schema'
import { ALL_QUESTIONS, ANSWER_HEX_LENGTH, MAX_REPORT_BYTES, READ_REPORT_VERSIONS } from './schema'
import type { ParsedReport, ReportAnswer } from './types'

const FIELDS = ['v', 'pack', 'sl', 'vl', 'day', 'eps', 'q', 'a']
const HEX_ANSWER = new RegExp(`^[0-9a-f]{${ANSWER_HEX_LENGTH}}$`)

/**
 * Checks an incoming report body (a JSON string of at most MAX_REPORT_BYTES, or the parsed value) and
 * returns it decoded. Anything else than exactly the fields of a `ReportBody`, each within its bounds,
 * throws a `ReportError`: `report_malformed`, `report_out_of_range` or `report_version`.
 *
 * @example
 * try { sums = addReport(sums, parseReport(requestBody)) } catch (e) { if (e instanceof ReportError) reply(400, e.code) }
 */
export function parseReport(body: unknown): ParsedReport {
  let value = body
  if (typeof body === 'string') {
    // Characters ≤ bytes in UTF-8: a longer string is certainly too big.
    if (body.length > MAX_REPORT_BYTES) throw new ReportError('report_malformed', `report is longer than ${MAX_REPORT_BYTES} bytes`)
    try {
      value = JSON.parse(body)
    } catch {
      throw new ReportError('report_malformed', 'report is not JSON')
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ReportError('report_malformed', 'report must be a JSON object')
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  for (const key of keys) if (!FIELDS.includes(key)) throw new ReportError('report_malformed', `unknown field ${key.slice(0, 20)}`, key.slice(0, 20))
  for (const key of FIELDS) if (!(key in record)) throw new ReportError('report_malformed', `missing field ${key}`, key)
  if (typeof record.v !== 'number' || !READ_REPORT_VERSIONS.includes(record.v))
    throw new ReportError('report_version', `report version must be one of ${READ_REPORT_VERSIONS.join(', ')}`, 'v')
  checkContext(record.pack, record.sl, record.vl, 'report_malformed')
  if (!isReportDay(record.day)) throw new ReportError('report_malformed', 'day must be a calendar day written YYYY-MM-DD', 'day')
  if (!isReportEpsilon(record.eps)) throw new ReportError('report_out_of_range', 'eps must be a number from 0.1 to 8 in hundredths', 'eps')
  const spec = ALL_QUESTIONS.find((q) => q.code === record.q)
  // Version 1 had no page-value question, and its training answers name tables of another list (other
  // ranges, no funnel tables): neither can be read as version 2 reads them.
  if (!spec || ((spec.id === 'pageValue' || spec.id === 'learn') && record.v < 2)) throw new ReportError('report_malformed', 'unknown question', 'q')
  if (typeof record.a !== 'string' || !HEX_ANSWER.test(record.a))
    throw new ReportError('report_malformed', `answer must be ${ANSWER_HEX_LENGTH} lowercase hex characters`, 'a')

  const context = { segmentLeaves: record.sl as number, valueLeaves: record.vl as number }
  // Exactly its hundredths, so that reports of one ε all add into the sums of that ε.
  const epsilon = toReportEpsilon(record.eps as number)
  const bytes = fromHex(record.a, new Uint8Array(ANSWER_HEX_LENGTH / 2))
  const mechanism = questionMechanism(spec.id, context, epsilon)
  let answer: ReportAnswer
  // Bytes an answer does not use must be zero, so a body can carry nothing but its answer.
  const zeroFrom = (start: number) => {
    for (let i = start; i < bytes.length; i++) if (bytes[i] !== 0) throw new ReportError('report_out_of_range', 'answer has bits outside its domain', 'a')
  }
  if (mechanism.kind === 'krr') {
    const y = bytes[0] * 256 + bytes[1]
    if (y >= mechanism.k) throw new ReportError('report_out_of_range', 'answer outside the question\'s domain', 'a')
    if (spec.id === 'pageValue') {
      // Bytes 2–5: the 28-bit key hash of the page asked about.
      const page = ((bytes[2] << 24) | (bytes[3] << 16) | (bytes[4] << 8) | bytes[5]) >>> 0
      if (page >= 2 ** 28) throw new ReportError('report_out_of_range', 'page hash outside its range', 'a')
      zeroFrom(6)
      answer = { kind: 'krr', value: y, page }
    } else {
      zeroFrom(2)
      answer = { kind: 'krr', value: y }
    }
  } else if (mechanism.kind === 'oue') {
    const bits = new Uint8Array(mechanism.k)
    for (let j = 0; j < ANSWER_HEX_LENGTH * 4; j++) {
      const bit = (bytes[j >>> 3] >>> (7 - (j & 7))) & 1
      if (j < mechanism.k) bits[j] = bit
      else if (bit) throw new ReportError('report_out_of_range', 'answer has bits outside its domain', 'a')
    }
    answer = { kind: 'oue', bits }
  } else {
    const a = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0
    const b = ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0
    const y = bytes[8] * 256 + bytes[9]
    if (a < 1 || a >= mechanism.prime || b >= mechanism.prime || y >= mechanism.g)
      throw new ReportError('report_out_of_range', 'hash or value outside its range', 'a')
    if (spec.id === 'learn') {
      // Byte 10 names the training table; it was drawn independently of the truth.
      if (bytes[10] >= LEARN_TABLES.length) throw new ReportError('report_out_of_range', 'training table outside the list', 'a')
      zeroFrom(11)
      answer = { kind: 'olh', a, b, value: y, table: bytes[10] }
    } else {
      zeroFrom(10)
      answer = { kind: 'olh', a, b, value: y }
    }
  }
  return {
    version: record.v,
    packId: record.pack as string,
    segmentLeaves: context.segmentLeaves,
    valueLeaves: context.valueLeaves,
    day: record.day as string,
    epsilon,
    question: spec.id,
    answer,
  }
}
