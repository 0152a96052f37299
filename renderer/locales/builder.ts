// The cashier's order builder: categories, options (modifiers), quantities, a note per line.
import { bundle } from './bundle.js';

export const builder = bundle({
  builder: {
    options: 'Options',
    lineNote: 'Note for this dish',
    quantity: 'Quantity',
    addLine: 'Add to order',
    cancel: 'Cancel',
    empty: 'Tap a dish to add it.',
    lines: 'This order',
    removeLine: 'Remove',
    free: 'no charge',
  },
})({
  de: {
    builder: {
      options: 'Extras',
      lineNote: 'Hinweis zu diesem Gericht',
      quantity: 'Menge',
      addLine: 'Zur Bestellung',
      cancel: 'Abbrechen',
      empty: 'Tippen Sie auf ein Gericht, um es hinzuzufügen.',
      lines: 'Diese Bestellung',
      removeLine: 'Entfernen',
      free: 'ohne Aufpreis',
    },
  },
  zh: {
    builder: {
      options: '选项',
      lineNote: '此菜备注',
      quantity: '数量',
      addLine: '加入订单',
      cancel: '取消',
      empty: '点击菜品即可添加。',
      lines: '本单',
      removeLine: '删除',
      free: '免费',
    },
  },
});
