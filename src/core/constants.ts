/** Meta key of the last decided segment, kept so hysteresis holds across page loads. */
export const SEGMENT_META_KEY = 'segment'
