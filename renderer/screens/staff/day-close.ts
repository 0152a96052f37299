// The manager's close of the day (after a confirmation; the close is signed into the ledger and
// cannot be undone) with the Z report it answers, and the day's CSV or JSON export, downloaded
// by the browser. The Z report stays on the manager's tab until the screen closes.
import { useState } from 'react';
import type { ZReport } from '../../../electron/contract/api.js';
import type { Day, Desk } from './desk.js';

export interface DayClose {
  confirming: boolean;
  setConfirming: (on: boolean) => void;
  zReport: ZReport | null;
  closeDay: () => Promise<void>;
  exportDay: (format: 'csv' | 'json') => Promise<void>;
}

/** How long a download's object URL is kept before it is revoked. */
const DOWNLOAD_URL_KEEP_MS = 10_000;

export function useDayClose(desk: Desk, day: Day | null): DayClose {
  const { api, withToken, setBusy, refresh } = desk;
  const { setError, errorText } = desk.messages;
  const [confirming, setConfirming] = useState(false);
  const [zReport, setZReport] = useState<ZReport | null>(null);

  const closeDay = async (): Promise<void> => {
    setBusy(true);
    const r = await withToken((token) => api.closeDay({ token }));
    setBusy(false);
    setConfirming(false);
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    setZReport(r.value);
    await refresh();
  };

  const exportDay = async (format: 'csv' | 'json'): Promise<void> => {
    const businessDay = zReport?.business_day ?? day?.business_day;
    if (!businessDay) return;
    const r = await withToken((token) => api.exportDay({ token, business_day: businessDay, format }));
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    download(
      r.value.content,
      format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
      `smile-to-pay-${r.value.business_day}.${format}`,
    );
  };
  return { confirming, setConfirming, zReport, closeDay, exportDay };
}

function download(content: string, type: string, fileName: string): void {
  const blob = new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_KEEP_MS);
}
