// The server entry: renders the page with vue/server-renderer, with the segment hint the server read.
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createSegletPlugin } from 'seglet/vue'
import { App } from './App.js'

export function render(hint) {
  return renderToString(createSSRApp(App).use(createSegletPlugin({ seglet: null, hint })))
}
