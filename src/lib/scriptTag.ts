/**
 * `true` in the script-tag core (`dist/seglet.min.js`), whose build puts `export const SCRIPT_TAG = true` in
 * place of this module (`scriptTagOnly()` in scripts/script-tag-build.mjs); `false` everywhere else.
 */
export const SCRIPT_TAG: boolean = false
