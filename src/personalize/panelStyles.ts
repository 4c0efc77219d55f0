/**
 * Styles of the panel, scoped by its shadow root. `all: initial` keeps the shop's inherited styles out. The host
 * element's rules are `!important`: the page's rules that match it (a reset's `* { all: unset }`) win over
 * normal `:host` rules, but not over important ones.
 */
export const PANEL_CSS = `
:host{all:initial!important;position:fixed!important;right:16px!important;bottom:16px!important;z-index:2147483647!important;display:block!important}
.panel{box-sizing:border-box;width:360px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);max-height:calc(100dvh - 32px);overflow:auto;
background:#fff;color:#1c1c1c;border:1px solid #cfcfcf;border-radius:10px;box-shadow:0 8px 30px rgba(0,0,0,.18);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:14px 16px;text-align:start;overflow-wrap:anywhere}
.panel:focus{outline:none}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px}
h2{font-size:16px;font-weight:600;margin:0}
h3{font-size:13px;font-weight:600;margin:14px 0 4px;color:#555}
p{margin:2px 0}
.name{font-size:15px;font-weight:600;margin-top:10px}
.muted{color:#555}
dl{display:grid;grid-template-columns:auto minmax(40%,1fr);gap:2px 12px;margin:6px 0}
dt{color:#555}
dd{margin:0;font-variant-numeric:tabular-nums}
ul{margin:4px 0;padding:0;padding-inline-start:18px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:14px}
button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #8a8a8a;background:#f5f5f5;color:#1c1c1c;padding:6px 10px}
button:focus-visible{outline:2px solid #1a5fd0;outline-offset:2px}
button[aria-disabled=true]{opacity:.6;cursor:default}
.close{border:0;background:none;font-size:20px;line-height:1;padding:2px 8px}
.forget{border-color:#b3261e;color:#b3261e}
.status{margin-top:10px;color:#1b5e20}
.status:empty{margin:0}
.status.error{color:#b3261e}
@media (prefers-color-scheme:dark){
.panel{background:#1f1f1f;color:#eee;border-color:#444}
h3,.muted,dt{color:#aaa}
button{background:#2c2c2c;color:#eee;border-color:#777}
button:focus-visible{outline-color:#8ab4f8}
.close{background:none}
.forget{color:#ff8a80;border-color:#ff8a80}
.status{color:#8bd18f}
.status.error{color:#ff8a80}
}
@media (prefers-reduced-motion:no-preference){.panel{animation:seglet-in .12s ease-out}}
@keyframes seglet-in{from{opacity:0;transform:translateY(6px)}}
`
