// `seglet/global`'s types (globalTypes.ts) against the script tag's real API: every name the types let a page
// queue runs as a command, and a name of the API they do not list as a command is refused as one.
import { describe, expect, it, vi } from 'vitest'
import { FORWARDED } from './instance'
import { runCommand } from './runCommand'
import type { SegletCommandName, SegletForwardedName, SegletGlobal } from './globalTypes'

// Compile-time: the forwarded names are exactly the tag's FORWARDED list (tsconfig.test.json checks this file).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const forwardedMatch: Same<SegletForwardedName, (typeof FORWARDED)[number]> = true

/** Every member of `window.Seglet` as typed, and whether the types let a page queue it. */
const members: Record<keyof SegletGlobal, boolean> = {
  init: true, track: true, setConsent: true, flush: true, onSegment: true, onError: true, forget: true, exportData: true,
  shopifyEvent: true, showPanel: true, hidePanel: true, destroy: true,
  getConsent: false, getSegment: false, explain: false,
  SegletError: false, ValidationError: false, OptionsError: false, isSegletError: false,
}
const commands: Record<SegletCommandName, true> = {
  init: true, track: true, setConsent: true, flush: true, onSegment: true, onError: true, forget: true, exportData: true,
  shopifyEvent: true, showPanel: true, hidePanel: true, destroy: true,
}

describe('seglet/global types', () => {
  it('name the forwarded methods the tag publishes', () => {
    expect(forwardedMatch).toBe(true)
    expect([...FORWARDED].sort()).toEqual(Object.keys(members).filter((k) => (FORWARDED as readonly string[]).includes(k)).sort())
  })

  it.each(Object.entries(members))('%s: queued, it runs if and only if the types call it a command (%s)', (name, queueable) => {
    expect(name in commands).toBe(queueable)
    const called = vi.fn()
    const reported: { code: string }[] = []
    runCommand([name], { [name]: called }, (error) => void reported.push(error))
    expect(called).toHaveBeenCalledTimes(queueable ? 1 : 0)
    expect(reported.map((e) => e.code)).toEqual(queueable ? [] : ['invalid_command'])
  })
})
