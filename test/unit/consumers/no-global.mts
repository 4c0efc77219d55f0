// The same npm user's TypeScript without the opt-in (checked by package.test.ts): `import 'seglet'` declares no
// `window.Seglet`, which only the script tag makes.
import { createSeglet } from 'seglet'

export const seglet = createSeglet({ consent: 'granted' })
// @ts-expect-error `window.Seglet` is declared only by `seglet/global`
window.Seglet?.track({ type: 'page_view', url: '/', pageType: 'home' })
// @ts-expect-error and so is the queue
window.seglet?.push(['flush'])
