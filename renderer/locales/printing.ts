// The printers on the staff screens: the status line of each printer's queue, the re-print
// buttons (the receipt, the kitchen tickets) and the X report on paper; the host's printing errors.
import { bundle } from './bundle.js';

export const printing = bundle({
  printing: {
    line: 'Printers:',
    none: 'No printer is set up.',
    state: {
      ok: 'ready',
      unknown: 'no answer yet',
      unreachable: 'unreachable',
      paper_out: 'out of paper',
      offline: 'offline (cover open?)',
    },
    queue: '{{pending}} waiting, {{failed}} failed',
    refused: '{{n}} jobs refused: the queue was full',
    reprintReceipt: 'Re-print receipt',
    reprintKitchen: 'Re-print kitchen ticket',
    xReport: 'X report on paper',
    queued: 'Sent to the printer ({{n}}).',
  },
  staff: {
    errors: {
      PRINT_QUEUE_FULL: 'The print queue is full: check the printer, then print again.',
      PRINT_NOTHING: 'Nothing to print there: no printer is set up for it.',
      PRINTER_UNKNOWN: 'That printer is not set up.',
      PRINTER_INVALID: 'That printer set-up is refused.',
    },
  },
})({
  de: {
    printing: {
      line: 'Drucker:',
      none: 'Kein Drucker eingerichtet.',
      state: {
        ok: 'bereit',
        unknown: 'noch keine Antwort',
        unreachable: 'nicht erreichbar',
        paper_out: 'kein Papier',
        offline: 'offline (Deckel offen?)',
      },
      queue: '{{pending}} wartend, {{failed}} fehlgeschlagen',
      refused: '{{n}} Aufträge abgelehnt: Warteschlange voll',
      reprintReceipt: 'Beleg nachdrucken',
      reprintKitchen: 'Küchenbon nachdrucken',
      xReport: 'X-Bericht drucken',
      queued: 'An den Drucker gesendet ({{n}}).',
    },
    staff: {
      errors: {
        PRINT_QUEUE_FULL: 'Die Druckwarteschlange ist voll: Drucker prüfen, dann erneut drucken.',
        PRINT_NOTHING: 'Nichts zu drucken: dafür ist kein Drucker eingerichtet.',
        PRINTER_UNKNOWN: 'Dieser Drucker ist nicht eingerichtet.',
        PRINTER_INVALID: 'Diese Druckereinrichtung wird abgelehnt.',
      },
    },
  },
  zh: {
    printing: {
      line: '打印机：',
      none: '尚未设置打印机。',
      state: {
        ok: '就绪',
        unknown: '尚无应答',
        unreachable: '无法连接',
        paper_out: '缺纸',
        offline: '离线（盖子打开？）',
      },
      queue: '{{pending}} 个等待，{{failed}} 个失败',
      refused: '{{n}} 个任务被拒绝：队列已满',
      reprintReceipt: '重印收据',
      reprintKitchen: '重印厨房单',
      xReport: '打印X报表',
      queued: '已发送到打印机（{{n}}）。',
    },
    staff: {
      errors: {
        PRINT_QUEUE_FULL: '打印队列已满：请检查打印机后再打印。',
        PRINT_NOTHING: '没有可打印的：未为此设置打印机。',
        PRINTER_UNKNOWN: '未设置该打印机。',
        PRINTER_INVALID: '该打印机设置被拒绝。',
      },
    },
  },
});
