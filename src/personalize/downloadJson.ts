/**
 * Offer `data` as a JSON file download: Blob, object URL and a clicked `<a download>`. No network.
 *
 * @param container where the temporary link lives (inside the panel's shadow root, so the page's
 *   DOM is not touched)
 */
export function downloadJson(container: ParentNode & Node, data: unknown, fileName: string): void {
  const doc = container.ownerDocument ?? (container as unknown as Document)
  const View = doc.defaultView
  if (!View || typeof View.URL.createObjectURL !== 'function') {
    throw new Error('this browser cannot create a file to download')
  }
  const blob = new View.Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
  const url = View.URL.createObjectURL(blob)
  const link = doc.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  container.appendChild(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers; FileSaver.js waits 40 s
  // (https://github.com/eligrey/FileSaver.js/issues/205).
  View.setTimeout(() => View.URL.revokeObjectURL(url), 40_000)
}
