// @vitest-environment node
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isSegletError, SegletError } from '../errors'
import type { ModelRuntime } from './types'
import { createScriptModuleLoader, getScriptRuntimeUrl, rebrand } from './loadScriptRuntime'

// How the script-tag build uses the loader: the module once.
const createRuntimeLoader = (url: string | undefined) => {
  const load = createScriptModuleLoader<{ createModelRuntime(): ModelRuntime }>(url)
  let runtime: Promise<ModelRuntime> | undefined
  return () => (runtime ??= load().then((module) => module.createModelRuntime()))
}

// Stands in for dist/seglet-model.min.js: a separate build with its own copy of the error classes.
function writeRuntimeModule(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-runtime-'))
  const file = join(dir, 'seglet-model.min.js.mjs')
  writeFileSync(
    file,
    `class SegletError extends Error { constructor(code, message) { super(message); this.name = 'SegletError'; this.code = code } }
class ModelPackError extends SegletError { constructor(code, message) { super(code, message); this.name = 'ModelPackError' } }
export function createModelRuntime() {
  return {
    checkPack() { throw new ModelPackError('pack_spec_mismatch', 'missing features: x') },
    async getPack() { throw new ModelPackError('pack_integrity', 'bad hash') },
    predict() { return { intent: new Float32Array([0.5]) } },
  }
}`,
  )
  return pathToFileURL(file).href
}

describe('getScriptRuntimeUrl', () => {
  it.each([
    ['https://shop.example/js/seglet.min.js', 'https://shop.example/js/seglet-model.min.js'],
    ['https://cdn.example/seglet@0.1.0/dist/seglet.min.js?v=3', 'https://cdn.example/seglet@0.1.0/dist/seglet-model.min.js'],
  ])('puts the runtime next to %s', (src, url) => {
    expect(getScriptRuntimeUrl({ src })).toBe(url)
  })

  it('gives nothing without a script src', () => {
    expect(getScriptRuntimeUrl(null)).toBeUndefined()
    expect(getScriptRuntimeUrl({ src: '' })).toBeUndefined()
  })
})

describe('createScriptModuleLoader and rebrand', () => {
  it('imports the runtime module once; rebrand() rebuilds its errors with this bundle’s classes', async () => {
    const load = createRuntimeLoader(writeRuntimeModule())
    const runtime = await load()
    expect(await load()).toBe(runtime)
    expect(runtime.predict({} as never, [1]).intent[0]).toBe(0.5)
    let error: unknown
    try {
      runtime.checkPack({} as never, {} as never)
    } catch (e) {
      error = e
    }
    expect(error).not.toBeInstanceOf(SegletError)
    error = rebrand(error)
    expect(error).toBeInstanceOf(SegletError)
    expect(error).toMatchObject({ name: 'ModelPackError', code: 'pack_spec_mismatch', message: 'missing features: x' })
    const rejected = rebrand(await runtime.getPack('session').catch((e: unknown) => e))
    expect(isSegletError(rejected)).toBe(true)
    expect(rejected).toMatchObject({ code: 'pack_integrity' })
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts the import in a task of its own, not in the task that asked for the part', async () => {
    vi.useFakeTimers()
    const load = createScriptModuleLoader<{ createModelRuntime(): ModelRuntime }>(writeRuntimeModule())
    let loaded = false
    const module = load().then((m) => {
      loaded = true
      return m
    })
    // The import waits for one timer; asking again shares it.
    expect(vi.getTimerCount()).toBe(1)
    expect(load()).toBe(load())
    expect(vi.getTimerCount()).toBe(1)
    await Promise.resolve()
    expect(loaded).toBe(false)
    await vi.runAllTimersAsync()
    vi.useRealTimers()
    expect(typeof (await module).createModelRuntime).toBe('function')
    expect(loaded).toBe(true)
  })

  it('reports a missing URL or a failed import as model_failed, and retries', async () => {
    await expect(createScriptModuleLoader(undefined)()).rejects.toMatchObject({ code: 'model_failed' })
    const load = createScriptModuleLoader(pathToFileURL(join(tmpdir(), 'nope', 'seglet-model.min.js')).href)
    await expect(load()).rejects.toMatchObject({ code: 'model_failed' })
    await expect(load()).rejects.toMatchObject({ code: 'model_failed' })
  })
})
