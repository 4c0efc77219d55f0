// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { SegletError } from '../errors'
import { readScriptOptions } from './readScriptOptions'

function read(attributes: Record<string, string>) {
  const script = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(`data-${name}`, value)
  const errors: SegletError[] = []
  const { options } = readScriptOptions(script, (e) => errors.push(e))
  return { reports: options.reports, errors }
}

describe('data-learn-share', () => {
  it.each([
    ['0.25', 0.25],
    ['1', 1],
    ['0', 0],
    [' 0.5 ', 0.5],
  ])('"%s" sets reports.learnShare to %s, next to data-reports', (text, share) => {
    const { reports, errors } = read({ reports: '/seglet/reports', 'learn-share': text })
    expect(errors).toEqual([])
    expect(reports).toEqual({ endpoint: '/seglet/reports', learnShare: share })
  })

  it.each(['1.5', '-0.1', 'half', '', 'NaN', 'Infinity'])('"%s" is reported as data-learn-share and the default is kept', (text) => {
    const { reports, errors } = read({ reports: '/seglet/reports', 'learn-share': text })
    expect(reports).toEqual({ endpoint: '/seglet/reports' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'invalid_option', field: 'data-learn-share' })
    expect(errors[0].message).toContain('using the default')
  })

  it('without the attribute, reports are as data-reports says', () => {
    expect(read({ reports: '/seglet/reports' })).toEqual({ reports: { endpoint: '/seglet/reports' }, errors: [] })
  })
})
