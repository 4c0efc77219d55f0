/** One day in milliseconds: the features' day counts and the retention windows use this one constant. */
export const DAY_MS = 86_400_000
