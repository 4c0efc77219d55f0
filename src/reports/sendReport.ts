import type { ReportBody } from './types'

/**
 * Posts one report body to the shop's endpoint, and nothing with it: `fetch` with `keepalive` (so it
 * survives the page closing), no cookies or HTTP authentication (`credentials: 'omit'`), no `Referer`
 * (it would carry the page's URL), no redirect, same origin only. Not `navigator.sendBeacon()`: a beacon
 * always sends the site's cookies and the page's URL as `Referer`. Rejects on a network error or a non-2xx
 * answer.
 *
 * @example
 * await sendReport('https://shop.example/seglet/reports', body)
 */
export async function sendReport(href: string, body: ReportBody): Promise<void> {
  const response = await fetch(href, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    keepalive: true,
    credentials: 'omit',
    redirect: 'error',
    mode: 'same-origin',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
  })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
}
