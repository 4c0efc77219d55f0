/**
 * How far down the page the bottom of the viewport is, 0–1. A page that fits in the viewport counts as fully
 * seen; an unmeasurable one (no layout) as 0.
 */
export function getScrollDepth(win: Window): number {
  const doc = win.document
  // The viewport's scroller (`<html>` in standards mode, `<body>` in quirks mode) holds the page's height:
  // `<body>` is not touched on a standards-mode page (its wrapper alone costs the page ~6 KB of heap).
  const scroller = doc.scrollingElement
  const height = scroller ? scroller.scrollHeight : Math.max(doc.documentElement?.scrollHeight ?? 0, doc.body?.scrollHeight ?? 0)
  if (!(height > 0)) return 0
  // `pageYOffset` is another name of `scrollY` in every browser that runs Seglet.
  const bottom = (win.scrollY || 0) + (win.innerHeight || 0)
  return bottom >= height ? 1 : Math.max(0, bottom / height)
}
