// The model-runtime benchmark, shared by Node and the browser (plain ESM, no Node APIs).
// `runtimeModule` is the runtime bundle's module namespace (dist/seglet-model.min.js or the probe build).

/**
 * Times one inference of both packs (session + lifetime) after warm-up.
 * @param {{ createModelRuntime(): any }} runtimeModule
 * @param {{ iterations?: number, warmup?: number }} options
 */
export async function benchModel(runtimeModule, { iterations = 2000, warmup = 500 } = {}) {
  const now = () => performance.now()
  let t = now()
  const runtime = runtimeModule.createModelRuntime()
  const session = await runtime.getPack('session')
  const lifetime = await runtime.getPack('lifetime')
  const loadMs = now() - t

  // Deterministic normalised inputs (the runtime takes the network input, mean 0 / std 1 per feature).
  let seed = 7
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2
  const inputs = Array.from({ length: 64 }, () => ({
    session: Float32Array.from(session.pack.featureSpec.names, random),
    lifetime: Float32Array.from(lifetime.pack.featureSpec.names, random),
  }))
  t = now()
  const first = runtime.predict(session, inputs[0].session)
  runtime.predict(lifetime, inputs[0].lifetime)
  const firstMs = now() - t

  let sink = 0
  const times = new Float64Array(iterations)
  for (let i = 0; i < warmup + iterations; i++) {
    const x = inputs[i % inputs.length]
    const start = now()
    const a = runtime.predict(session, x.session)
    const b = runtime.predict(lifetime, x.lifetime)
    const elapsed = now() - start
    sink += a[session.heads[0]][0] + b[lifetime.heads[0]][0]
    if (i >= warmup) times[i - warmup] = elapsed
  }
  times.sort()
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
  return {
    loadMs: round(loadMs),
    firstInferenceMs: round(firstMs),
    medianMs: round(pick(0.5)),
    p95Ms: round(pick(0.95)),
    p99Ms: round(pick(0.99)),
    maxMs: round(times[times.length - 1]),
    iterations,
    heads: Object.keys(first),
    sink: Number.isFinite(sink),
  }
}

const round = (ms) => Math.round(ms * 1000) / 1000
