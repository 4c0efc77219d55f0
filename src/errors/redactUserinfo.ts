/**
 * `text` with the user name and password of every URL in it replaced by `…`, so an error message that
 * names a URL never shows credentials.
 *
 * @example
 * redactUserinfo('cannot load https://shop:s3cret@shop.example/pack.json') // 'cannot load https://…@shop.example/pack.json'
 */
export function redactUserinfo(text: string): string {
  return String(text).replace(/\/\/[^/?#@\s"']*@/g, '//…@')
}
