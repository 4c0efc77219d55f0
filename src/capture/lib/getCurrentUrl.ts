import { MAX_URL_LENGTH } from '../../events/limits'

/** The page's path and query, cut to `MAX_URL_LENGTH` so an overlong query never loses the page view. */
export function getCurrentUrl(win: Window): string {
  const { pathname, search } = win.location
  const url = (pathname.charCodeAt(0) === 47 ? pathname : '/' + pathname) + search
  return url.length > MAX_URL_LENGTH ? url.slice(0, MAX_URL_LENGTH) : url
}
