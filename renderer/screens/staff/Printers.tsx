// The printers on the staff screen: one line with each printer's state and queue (polled while
// the screen is open), the X report on paper, and the re-print buttons of a receipt (the receipt,
// and its order's kitchen tickets), which the host prints marked as a re-print.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintQueueView } from '../../../electron/contract/api.js';
import type { Desk } from './desk.js';

/** How often the line asks the host (a printer back on shows within this). */
const PRINTERS_POLL_MS = 5_000;

export function PrinterLine(props: { desk: Desk }) {
  const { desk } = props;
  const { t } = useTranslation();
  const [queue, setQueue] = useState<PrintQueueView | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      const r = await desk.withToken((token) => desk.api.printers({ token }));
      if (!stopped && r?.ok) setQueue(r.value.queue);
    };
    void load();
    const timer = setInterval(() => void load(), PRINTERS_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [desk.api, desk.withToken]);
  if (!queue) return null;
  const xReport = async (): Promise<void> => {
    const r = await desk.withToken((token) => desk.api.printXReport({ token }));
    if (r?.ok) desk.messages.setNotice(() => t('printing.queued', { n: r.value.jobs }));
    else if (r) desk.messages.setError(desk.messages.errorText(r.error));
  };
  return (
    <p className="printer-line" data-testid="printer-line">
      <span>{t('printing.line')} </span>
      {queue.printers.length === 0 && <span>{t('printing.none')}</span>}
      {queue.printers.map((p, i) => (
        <span key={p.printer_id} data-testid={`printer-${p.printer_id}`} data-state={p.state} data-pending={p.pending}>
          {i > 0 && ' · '}
          {p.name}: {t(`printing.state.${p.state}`)}
          {p.pending + p.failed > 0 && ` (${t('printing.queue', { pending: p.pending, failed: p.failed })})`}
        </span>
      ))}
      {queue.refused > 0 && <span>{t('printing.refused', { n: queue.refused })}</span>}
      {queue.printers.some((p) => p.role === 'receipt') && (
        <button className="secondary" data-testid="print-x-report" onClick={() => void xReport()}>
          {t('printing.xReport')}
        </button>
      )}
    </p>
  );
}

export function ReprintButtons(props: { desk: Desk; seq: number }) {
  const { desk, seq } = props;
  const { t } = useTranslation();
  const reprint = async (what: 'receipt' | 'kitchen'): Promise<void> => {
    const r = await desk.withToken((token) => desk.api.reprint({ token, what, seq }));
    if (r?.ok) desk.messages.setNotice(() => t('printing.queued', { n: r.value.jobs }));
    else if (r) desk.messages.setError(desk.messages.errorText(r.error));
  };
  return (
    <>
      <button className="secondary" data-testid="reprint-receipt" onClick={() => void reprint('receipt')}>
        {t('printing.reprintReceipt')}
      </button>
      <button className="secondary" data-testid="reprint-kitchen" onClick={() => void reprint('kitchen')}>
        {t('printing.reprintKitchen')}
      </button>
    </>
  );
}
