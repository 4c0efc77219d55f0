/**
 * The script-tag build (`dist/seglet.min.js`, global `Seglet`).
 *
 * `<script src="seglet.min.js" data-consent="granted" async></script>` starts Seglet with options read from
 * the tag's `data-*` attributes. Commands queued before the script loaded (`window.seglet.push([...])`) are
 * replayed in order; afterwards `window.seglet.push` runs commands at once. `window.Seglet` is the API.
 */
import { SegletError, ValidationError, OptionsError, isSegletError } from '../errors'
import { init, setConsent, onError, forget, destroy, forward, FORWARDED } from './instance'
import { bootScript } from './bootScript'

const api: Record<string, unknown> = { SegletError, ValidationError, OptionsError, isSegletError, init, setConsent, onError, forget, destroy }
for (const name of FORWARDED) api[name] = forward(name)

// Published by bootScript() itself, so a page that made `window.Seglet` read-only (or a throwing setter)
// gets a report instead of an exception.
bootScript(api)
