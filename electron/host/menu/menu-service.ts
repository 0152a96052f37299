// The menu domain's calls: the manager's editor (every change a signed config entry naming the
// manager and why, menu-book.ts) and the staff's "86" of an item and back. Only a manager edits
// the menu; any signed-in member of staff marks stock; unsigned screens only read the menu
// (orders.ts `menu`), and hear of each change by the menu push.
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import { approverOf, type StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import type { MenuBook } from './menu-book.js';

export interface MenuParts {
  log: Logger;
  staff: StaffDirectory;
  menu: MenuBook;
  now?: () => number;
}

/** The reason written when a cashier gives none for an 86 (a busy service does not type one). */
const STOCK_REASON = { false: 'marked out of stock at the counter', true: 'back in stock' } as const;

export class MenuService implements DomainService<'menu'> {
  constructor(private readonly p: MenuParts) {}

  menuEditor(req: RequestOf<'menuEditor'>): ResponseOf<'menuEditor'> {
    this.p.staff.require(req.token, 'manager');
    return this.p.menu.editorView();
  }

  menuChange(req: RequestOf<'menuChange'>): ResponseOf<'menuChange'> {
    const changedBy = approverOf(this.p.staff.require(req.token, 'manager'));
    const seq = this.p.menu.change(req.change, changedBy, req.reason);
    this.p.log.info({ change: req.change.kind, op: req.change.op, changed_by: changedBy, seq }, 'menu changed');
    return { seq, changed_by: changedBy, menu: this.p.menu.editorView() };
  }

  menuStock(req: RequestOf<'menuStock'>): ResponseOf<'menuStock'> {
    const changedBy = approverOf(this.p.staff.require(req.token, 'cashier'));
    const reason = req.reason?.trim() || STOCK_REASON[`${req.in_stock}`];
    const seq = this.p.menu.setStock(req.item_id, req.in_stock, changedBy, reason);
    this.p.log.info({ item: req.item_id, in_stock: req.in_stock, changed_by: changedBy, seq }, 'menu stock changed');
    return {
      seq,
      item_id: req.item_id,
      in_stock: req.in_stock,
      changed_by: changedBy,
      at_ms: (this.p.now ?? Date.now)(),
    };
  }
}
