/**
 * The only module that imports TensorFlow.js. It registers the CPU backend and exactly the kernels the
 * dense layers of a pack need, instead of `@tensorflow/tfjs` (about 260 KB gzip) or the whole CPU
 * backend. Nothing happens at import time: {@link ensureCpuBackend} does the work on first use.
 */
import { _FusedMatMul, engine, env, findBackendFactory, getKernel, registerBackend, registerKernel, Softmax, Tanh, tidy } from '@tensorflow/tfjs-core'
import type { KernelConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core'
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu/dist/backend_cpu.js'
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/_FusedMatMul.js'
import { softmaxConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Softmax.js'
import { tanhConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Tanh.js'

export { tidy }
export type { Tensor }

/**
 * The kernels a pack runs. `_FusedMatMul` does matMul + bias + relu/sigmoid (or nothing, for linear) in
 * one kernel; softmax and tanh do not fuse and follow it. Softmax calls the CPU max, sub, exp, sum and
 * div implementations directly, so those need no registration.
 */
export const KERNELS: readonly KernelConfig[] = [_fusedMatMulConfig, softmaxConfig, tanhConfig]

let ready = false

/** Registers the CPU backend and the kernels (once), and makes CPU the active backend. */
export function ensureCpuBackend(): void {
  if (ready) return
  // The engine is global: a host page running its own TensorFlow.js already has these registered,
  // and registering twice only prints warnings.
  if (!findBackendFactory('cpu')) {
    // Seglet owns this engine: silence the development warnings (Node "install tfjs-node" banner).
    env().set('PROD', true)
    registerBackend('cpu', () => new MathBackendCPU(), 1)
  }
  for (const config of KERNELS) {
    if (!getKernel(config.kernelName, 'cpu')) registerKernel(config)
  }
  // Only pick a backend when none is active: switching a host page's own TensorFlow.js (say, WebGL)
  // to CPU would slow the page down; our kernels then run on the host's backend, which has them all.
  // setBackend('cpu') completes synchronously: the CPU backend has no async initialisation.
  if (engine().backendName == null) void engine().setBackend('cpu')
  ready = true
}

/** A float32 tensor of `shape` over `values` (kept as is, not copied). */
export function makeTensor(values: Float32Array, shape: number[]): Tensor {
  return engine().makeTensor(values, shape, 'float32') as Tensor
}

/**
 * One dense layer, `activation(x · kernel + bias)`, with the kernels above. `x` is [1, 1, in] and
 * `kernel` [1, in, units]: the 3-D shapes `_FusedMatMul` works in, so no reshape runs per inference.
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor, activation: string): Tensor {
  const tf = engine()
  const attrs: NamedAttrMap = { transposeA: false, transposeB: false }
  if (activation === 'relu' || activation === 'sigmoid') attrs.activation = activation
  const y = tf.runKernel(_FusedMatMul, { a: x, b: kernel, bias }, attrs) as Tensor
  if (activation === 'softmax') return softmax(y)
  if (activation === 'tanh') return tf.runKernel(Tanh, { x: y }) as Tensor
  return y
}

/** Softmax over the last axis of `logits`. */
export function softmax(logits: Tensor): Tensor {
  return engine().runKernel(Softmax, { logits }, { dim: -1 }) as Tensor
}
