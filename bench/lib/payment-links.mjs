// Payment-link list with amount/date filters as the store grows (links created through the API).
export async function measurePaymentLinks() {
  throw new Error('payment-link list scenario not written yet');
}
