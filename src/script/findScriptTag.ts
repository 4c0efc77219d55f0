/**
 * The `<script>` element running Seglet's file, or `undefined`. Markup injected into the page can shadow
 * `document.currentScript` (`<img name="currentScript" data-consent="granted">`, a `<form>`, `<embed>`,
 * `<object>` or `<iframe>` by name or id), so it is read with `Document.prototype`'s own getter, and only
 * a genuine `HTMLScriptElement` loaded from an http(s) URL may configure Seglet or say where its model
 * runtime is. Nothing is looked up in the DOM by name or selector. Call it while the file's code runs:
 * the browser resets `currentScript` afterwards.
 *
 * @example
 * const script = findScriptTag() // at the top of bootScript()
 */
export function findScriptTag(): HTMLScriptElement | undefined {
  const element: unknown = Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript')?.get?.call(document)
  return element instanceof HTMLScriptElement &&
    Object.prototype.toString.call(element) === '[object HTMLScriptElement]' &&
    /^https?:/.test(element.src)
    ? element
    : undefined
}
