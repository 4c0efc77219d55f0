import type { Ingest } from '../ingest/createIngest'
import type { ClientLimiter } from '../ingest/createClientLimiter'
import { isCrossSite } from '../ingest/isCrossSite'
import { readBody } from '../ingest/readBody'
import { READ_REPORT_VERSIONS } from '../../src/reports/schema'

/** One POST to the report endpoint, as either HTTP layer sees it. */
export interface ReportRequest {
  /** Reads a request header (lower-case name). */
  header: (name: string) => string | null
  /** The client address (in memory only: rate limit and replay guard). */
  client: string
  /** The body's bytes. */
  body: AsyncIterable<Uint8Array> | null
}

/**
 * The answer to a report: 202 with no body, or a status with an error code (and Retry-After for 429), or none:
 * `unanswered`, a report whose write was sent to a database that did not answer in time (it may still be stored),
 * whose connection is closed without an answer, so the browser tells its delivery as not confirmed, not as failed.
 */
export type ReportAnswer =
  | { status: 202 }
  | { status: 400 | 403 | 409 | 413 | 415 | 422 | 429 | 503; code: string; retryAfter?: number }
  | { status: 'unanswered'; code: 'storage_unconfirmed' }

const REFUSAL_MESSAGES = new Map<string, string>(Object.entries({
  cross_site: "posts are taken from the shop's own origin only: serve /seglet/ from it, or name its public origin with --allowed-origin",
  content_type: 'send the report with Content-Type: application/json or text/plain',
  content_charset: 'send the report in UTF-8: Content-Type: text/plain;charset=UTF-8, or no charset',
  content_encoding: 'send the report as it is, without Content-Encoding: it is a few hundred bytes',
  body_unreadable: 'the body could not be read: send it whole, within 10 seconds',
  body_not_utf8: 'the body is not UTF-8 text: send the report (ASCII JSON) as UTF-8',
  report_malformed: 'the body is not a Seglet report: see "What is sent" in the README for its fields',
  report_out_of_range: "a field of the report is outside its bounds (the pack's leaf counts, the question's answer)",
  report_version: `the report version is not one this collector reads (${READ_REPORT_VERSIONS.join(' or ')}): update the collector`,
  report_day: "the report's day must be a UTC day from 8 days ago to tomorrow",
  report_epsilon: "the report's eps is not the collector's --epsilon: give both the same ε",
  report_replayed: 'this body was already received from this address today',
}))

/**
 * The JSON body of a refused report: its code, and for a refusal the sender can act on, a sentence saying
 * what to change (`{"error":"content_type","message":"send the report with Content-Type: …"}`). A body over
 * the size limit is told the limit the collector was given (`maxBodyBytes`).
 *
 * @example
 * res.end(JSON.stringify(refusalBody(answer.code, maxBodyBytes)))
 */
export function refusalBody(code: string, maxBodyBytes = 512): { error: string; message?: string } {
  const message = code === 'report_too_large' ? `a report is at most ${maxBodyBytes} bytes` : REFUSAL_MESSAGES.get(code)
  return message === undefined ? { error: code } : { error: code, message }
}

/** Options of {@link answerReport}. */
export interface AnswerReportOptions {
  /** The shop's public origins behind a proxy. @default [] */
  allowedOrigins?: readonly string[]
  /** Largest body accepted, in bytes. @default 512 */
  maxBodyBytes?: number
}

/**
 * The report endpoint, whatever the HTTP layer: refuses cross-site posts (403), other content types, charsets but UTF-8
 * and compressed bodies (415), clients past their rate (429; an IPv6 client by its /64), oversized (413) or unreadable (400) bodies, then hands the text to ingest, which
 * checks, deduplicates and stores it. The collector's Hono route and its Node.js listener both answer with this.
 *
 * @example
 * const answer = await answerReport(request, ingest, limiter, { allowedOrigins: [] })
 */
export async function answerReport(request: ReportRequest, ingest: Ingest, limiter: ClientLimiter, options: AnswerReportOptions = {}): Promise<ReportAnswer> {
  const { header, client } = request
  if (isCrossSite(header, options.allowedOrigins ?? [])) return { status: 403, code: 'cross_site' }
  const [type, ...parameters] = (header('content-type') ?? '').toLowerCase().split(';')
  if (type!.trim() !== 'application/json' && type!.trim() !== 'text/plain') return { status: 415, code: 'content_type' }
  // The body is read as UTF-8: one labelled another charset (UTF-16, Latin-1) would be read as something it is not.
  if (!parameters.every(isUtf8Parameter)) return { status: 415, code: 'content_charset' }
  // The body is read as it came: a compressed one would be refused as unreadable, and one only labelled so stored.
  const encoding = (header('content-encoding') ?? '').trim().toLowerCase()
  if (encoding !== '' && encoding !== 'identity') return { status: 415, code: 'content_encoding' }
  if (!limiter.take(client)) return { status: 429, code: 'rate_limited', retryAfter: limiter.retryAfter(client) }
  const text = await readBody(request.body, header('content-length'), options.maxBodyBytes ?? 512)
  if (text === 'too_large') return { status: 413, code: 'report_too_large' }
  if (text === 'unreadable') return { status: 400, code: 'body_unreadable' }
  if (text === 'not_utf8') return { status: 400, code: 'body_not_utf8' }
  const outcome = await ingest.submit(client, text)
  return outcome.status === 202 ? { status: 202 } : outcome
}

/** Charsets whose bytes a report (ASCII JSON) is read right in as UTF-8. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii'])

/** True for a Content-Type parameter (lower-cased) other than `charset`, or a charset UTF-8 reads right. */
function isUtf8Parameter(parameter: string): boolean {
  const [name, value = ''] = parameter.split('=', 2).map((part) => part.trim())
  return name !== 'charset' || UTF8_CHARSETS.has(value.replace(/^"(.*)"$/, '$1'))
}
