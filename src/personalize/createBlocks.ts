import type { ErrorReporter } from '../errors'
import type { Segment } from '../segments'
import { BLOCK_ATTRIBUTES, BLOCK_SELECTOR as SELECTOR } from './constants'
import { reportSafely } from './reportSafely'
import { segmentTokens } from './segmentTokens'
import { shouldHideBlock } from './shouldHideBlock'

/** The intent rules' part of the selector. */
const INTENT_SELECTOR = SELECTOR.split(',').slice(2).join()

/** Shows and hides declarative blocks; see `createBlocks`. */
export interface Blocks {
  /** Evaluate every block now and watch for blocks added or changed later. */
  start(): void
  /** Evaluate every block again (after a new segment). */
  refresh(): void
  /** Stop watching and give every block back the `hidden` state it had when Seglet first saw it. */
  stop(): void
}

/**
 * Declarative blocks (`data-seglet-show`, `-hide`, `-intent-above`, `-intent-below`). On an element with
 * one of these attributes Seglet owns the `hidden` attribute: set while the rules hide the block, removed
 * while they show it. So `hidden` in the markup keeps a block out of sight until the first decision (and
 * when scripts do not run), and the block appears once it matches. Elements without these attributes are
 * never touched. The `hidden` state an element had when Seglet first saw it is given back when it loses
 * its attributes, leaves the page or Seglet stops.
 * Mutations are collected and handled once per microtask, looking only at added or changed nodes.
 */
export function createBlocks(doc: Document, getSegment: () => Segment | null, onError: ErrorReporter): Blocks {
  /** Blocks Seglet manages → whether they had `hidden` when Seglet first saw them. */
  const original = new Map<Element, boolean>()
  let observer: MutationObserver | undefined
  let queue: MutationRecord[] = []
  let scheduled = false

  const evaluate = (element: Element, segment: Segment | null, tokens: ReadonlySet<string>) => {
    if (element.isConnected && element.matches(SELECTOR)) {
      if (!original.has(element)) original.set(element, element.hasAttribute('hidden'))
      const hide = shouldHideBlock(element, segment, tokens)
      // Only write on a change, so observers (frameworks, the page's own) see no churn.
      if (hide !== element.hasAttribute('hidden')) element.toggleAttribute('hidden', hide)
    } else if (original.has(element)) {
      release(element)
    }
  }

  const release = (element: Element) => {
    element.toggleAttribute('hidden', original.get(element))
    original.delete(element)
  }

  /** The segment's ids and intent the blocks were last all evaluated for (the observer has kept them since). */
  let shownIds: string | undefined
  let shownIntent: number | undefined

  const refresh = () => {
    const segment = getSegment()
    const tokens = segmentTokens(segment)
    const ids = [...tokens].join()
    const intent = segment?.intent
    // While the observer watches, every block on the page was evaluated for the segment of the last refresh (or of
    // the moment it was added or changed, the same one). A decision that moves neither the ids nor the intent (a cart
    // event's funnel facts) leaves them as they are; one that moves only the intent looks only at the intent rules.
    const same = observer && ids === shownIds
    // Blocks removed from the page or stripped of their attributes get their own state back.
    if (!same) {
      original.forEach((_, element) => {
        if (!element.isConnected || !element.matches(SELECTOR)) release(element)
      })
    }
    if (!same || intent !== shownIntent) doc.querySelectorAll(same ? INTENT_SELECTOR : SELECTOR).forEach((element) => evaluate(element, segment, tokens))
    shownIds = ids
    shownIntent = intent
  }

  const flush = () => {
    scheduled = false
    const records = queue
    queue = []
    try {
      const segment = getSegment()
      let tokens: ReadonlySet<string> | undefined
      // The segment's ids only when a block is there to evaluate: most mutations of a busy page touch none.
      const check = (element: Element) => evaluate(element, segment, (tokens ??= segmentTokens(segment)))
      let removed = false
      for (const record of records) {
        if (record.type === 'attributes') {
          check(record.target as Element)
          continue
        }
        record.addedNodes.forEach((node) => {
          if (node.nodeType !== 1) return
          const element = node as Element
          if (element.matches(SELECTOR) || original.has(element)) check(element)
          element.querySelectorAll(SELECTOR).forEach(check)
        })
        record.removedNodes.forEach((node) => (removed ||= node.nodeType === 1))
      }
      // Blocks that left the page get their own state back: one pass per batch, not one per record (a framework that
      // removes 50 rows one by one makes 50 records), and none when no element was removed (a ticker's text).
      if (removed) {
        original.forEach((_, element) => {
          if (!element.isConnected) release(element)
        })
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
        queue = queue.concat(records)
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
      shownIds = undefined
      queue = []
      original.forEach((_, element) => release(element))
    },
  }
}
