// An order's line as every screen shows it: quantity, the dish, its options and its note.
import type { OrderLine } from '../../electron/contract/api.js';

/** A menu name in the language shown, English when that language has none. */
export function localName(x: { name: Record<string, string> }, lng: string): string {
  // A name left empty in a language falls back to the English (the menu editor requires that one).
  return x.name[lng] || x.name.en || '';
}

/** "2 × Tonkotsu ramen · Extra egg, Spicy · “no onions”" */
export function lineText(l: OrderLine, lng: string): string {
  const opts = l.options.length ? ` · ${l.options.map((o) => localName(o, lng)).join(', ')}` : '';
  const note = l.note ? ` · “${l.note}”` : '';
  return `${l.quantity} × ${localName(l, lng)}${opts}${note}`;
}
