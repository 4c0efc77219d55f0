import type { ErrorReporter } from '../errors'
import type { Segment } from '../segments'
import { BLOCK_ATTRIBUTES } from './constants'
import { reportSafely } from './reportSafely'
import { segmentTokens } from './segmentTokens'
import { shouldHideBlock } from './shouldHideBlock'

const SELECTOR = BLOCK_ATTRIBUTES.map((name) => `[${name}]`).join(',')

/** Shows and hides declarative blocks; see `createBlocks`. */
export interface Blocks {
  /** Evaluate every block now and watch for blocks added or changed later. */
  start(): void
  /** Evaluate every block again (after a new segment). */
  refresh(): void
  /** Stop watching and give every block back the `hidden` state it had before Seglet touched it. */
  stop(): void
}

/**
 * Declarative blocks (`data-seglet-show`, `-hide`, `-intent-above`, `-intent-below`) hidden with the
 * `hidden` attribute. The element's own `hidden` state is remembered when Seglet first hides it and
 * given back when no rule hides it any more, so a block the page hid itself stays hidden.
 * Mutations are collected and handled once per microtask, looking only at added or changed nodes.
 */
export function createBlocks(doc: Document, getSegment: () => Segment | null, onError: ErrorReporter): Blocks {
  /** Elements Seglet hid → whether they had `hidden` before. */
  const hiddenBySeglet = new Map<Element, boolean>()
  let observer: MutationObserver | undefined
  let queue: MutationRecord[] = []
  let scheduled = false

  const evaluate = (element: Element, segment: Segment | null, tokens: ReadonlySet<string>) => {
    const isBlock = element.matches(SELECTOR)
    if (isBlock && element.isConnected && shouldHideBlock(element, segment, tokens)) {
      if (!hiddenBySeglet.has(element)) hiddenBySeglet.set(element, element.hasAttribute('hidden'))
      if (!element.hasAttribute('hidden')) element.setAttribute('hidden', '')
    } else if (hiddenBySeglet.has(element)) {
      release(element)
    }
  }

  const release = (element: Element) => {
    const wasHidden = hiddenBySeglet.get(element)
    hiddenBySeglet.delete(element)
    if (wasHidden) element.setAttribute('hidden', '')
    else element.removeAttribute('hidden')
  }

  const refresh = () => {
    const segment = getSegment()
    const tokens = segmentTokens(segment)
    // Blocks removed from the page or stripped of their attributes get their own state back.
    hiddenBySeglet.forEach((_, element) => {
      if (!element.isConnected || !element.matches(SELECTOR)) release(element)
    })
    doc.querySelectorAll(SELECTOR).forEach((element) => evaluate(element, segment, tokens))
  }

  const flush = () => {
    scheduled = false
    const records = queue
    queue = []
    try {
      const segment = getSegment()
      const tokens = segmentTokens(segment)
      for (const record of records) {
        if (record.type === 'attributes') {
          evaluate(record.target as Element, segment, tokens)
          continue
        }
        record.addedNodes.forEach((node) => {
          if (node.nodeType !== 1) return
          const element = node as Element
          evaluate(element, segment, tokens)
          element.querySelectorAll(SELECTOR).forEach((inner) => evaluate(inner, segment, tokens))
        })
        if (record.removedNodes.length > 0) {
          hiddenBySeglet.forEach((_, element) => {
            if (!element.isConnected) release(element)
          })
        }
      }
    } catch (error) {
      reportSafely(onError, 'Updating data-seglet blocks failed', error)
    }
  }

  return {
    start() {
      if (observer) return
      refresh()
      const View = doc.defaultView
      if (!View || typeof View.MutationObserver !== 'function') return
      observer = new View.MutationObserver((records) => {
        queue.push(...records)
        if (scheduled) return
        scheduled = true
        // One pass per microtask however many observer callbacks arrive (frameworks insert in bursts).
        Promise.resolve().then(flush)
      })
      observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: [...BLOCK_ATTRIBUTES] })
    },
    refresh,
    stop() {
      observer?.disconnect()
      observer = undefined
      queue = []
      hiddenBySeglet.forEach((_, element) => release(element))
    },
  }
}
