/**
 * The only module that imports TensorFlow.js. It registers the CPU backend and exactly the kernels the
 * dense layers of a pack need, instead of `@tensorflow/tfjs` (about 260 KB gzip) or the whole CPU
 * backend. Nothing happens at import time: {@link ensureCpuBackend} does the work on first use.
 */
import { engine, env, findBackendFactory, getKernel, registerBackend, registerKernel, setBackend } from '@tensorflow/tfjs-core'
import type { KernelConfig } from '@tensorflow/tfjs-core'
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu/dist/backend_cpu.js'
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/_FusedMatMul.js'
import { reshapeConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Reshape.js'
import { softmaxConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Softmax.js'
import { tanhConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Tanh.js'

export { decodeWeights } from '@tensorflow/tfjs-core/dist/io/io_utils.js'
export { fused, softmax, tanh, tensor1d, tensor2d, tidy } from '@tensorflow/tfjs-core'
export type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core'

/**
 * Kernels a pack's dense layers run: `_FusedMatMul` does matMul + bias + linear/relu/sigmoid in one
 * kernel; softmax and tanh are not fusable. Reshape is what the fused matMul op calls around the kernel.
 */
const KERNELS: KernelConfig[] = [_fusedMatMulConfig, softmaxConfig, tanhConfig, reshapeConfig]

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
  // to CPU would slow the page down. Our ops then run on the host's backend, which has every kernel.
  // setBackend('cpu') completes synchronously: the CPU backend has no async initialisation.
  if (engine().backendName == null) void setBackend('cpu')
  ready = true
}
