/** Whether events of this type are kept for `purchaseRetentionDays` rather than `retentionDays`. */
export function isLongLivedType(type: string): boolean {
  return type === 'purchase' || type === 'refund'
}
