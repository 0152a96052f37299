// Who a customer is, as the payment, receipt, enrolment, deletion and report services need it:
// their display name, and the customers with given phone digits. A customer enrolled here is in
// this kiosk's directory; one enrolled at another kiosk of the merchant is known from the card
// that came with their templates (gallery.ts).
import type { CustomerDirectory } from './customers.js';
import type { Gallery } from './gallery.js';

export interface CustomerLookup {
  /** A customer's display name, if this kiosk knows it. */
  nameOf(customerId: string): string | undefined;
  /** The customers with these phone digits: enrolled here, or anywhere (the card in their templates). */
  withPhoneDigits(last4: string): string[];
}

export function customerLookup(customers: CustomerDirectory, gallery: Gallery): CustomerLookup {
  return {
    nameOf: (id) => customers.get(id)?.display_name ?? gallery.card(id)?.display_name,
    withPhoneDigits: (last4) => [...new Set([...customers.withPhoneDigits(last4), ...gallery.withPhoneDigits(last4)])],
  };
}
