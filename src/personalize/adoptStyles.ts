/**
 * Style a shadow root. A constructed stylesheet is preferred: it is not subject to the page's CSP
 * `style-src`, unlike a `<style>` element, which is the fallback where constructed sheets are missing.
 * Returns that fallback element (`undefined` with a constructed sheet): a policy that blocks it fires
 * `securitypolicyviolation` at it once the root is in the document.
 */
export function adoptStyles(root: ShadowRoot, css: string): HTMLStyleElement | undefined {
  const doc = root.ownerDocument
  const View = doc.defaultView
  try {
    if (View && 'adoptedStyleSheets' in root && typeof View.CSSStyleSheet === 'function' && 'replaceSync' in View.CSSStyleSheet.prototype) {
      const sheet = new View.CSSStyleSheet()
      sheet.replaceSync(css)
      root.adoptedStyleSheets = [sheet]
      return undefined
    }
  } catch {
    // Constructable stylesheets exist but refused (older engines): use the fallback below.
  }
  const style = doc.createElement('style')
  style.textContent = css
  root.append(style)
  return style
}
