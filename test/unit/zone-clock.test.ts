// Proves the one store clock (ledger/protocol/zone-clock.ts): in every kind of time zone (DST,
// quarter-hour offsets, a DST change at midnight) a moment's local day begins at dayStartMs and
// no earlier, and that day is the one Intl names; its UTC days are the ones the offline limits
// counted before (ms - ms % 86 400 000) and its dates the ones the staff desk and `ledger export`
// wrote before (Intl en-CA); and no other clock is made in the kiosk's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isCalendarDay, zoneClock } from '../../ledger/protocol/zone-clock.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Asia/Shanghai',
  'America/New_York',
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'America/Santiago', // its DST changes fall at midnight: some days begin at 01:00
  'Australia/Lord_Howe', // a half-hour DST change
];
const MS = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });

test('a local day begins at dayStartMs: that moment is in the day, the one before is not', () => {
  for (const tz of ZONES) {
    const clock = zoneClock(tz);
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(MS, (ms) => {
        const day = clock.day(ms);
        const start = clock.dayStartMs(ms);
        assert.equal(day, intl.format(ms), `${tz}: the date Intl names (what the staff desk and export used)`);
        assert.ok(start <= ms && ms - start < 26 * 3_600_000, `${tz}: today began before ${ms}`);
        assert.equal(clock.day(start), day, `${tz}: ${start} is in ${day}`);
        assert.ok(clock.day(start - 1) < day, `${tz}: the ms before ${start} is the day before`);
        assert.equal(clock.bounds(day).start_ms, start, `${tz}: bounds agree`);
      }),
      { numRuns: 200 },
    );
  }
});

test('the UTC clock counts the days the offline limits counted before', () => {
  const utc = zoneClock('UTC');
  fc.assert(fc.property(MS, (ms) => utc.dayStartMs(ms) === ms - (ms % 86_400_000)));
});

test('a day whose midnight does not exist begins at its first local moment', () => {
  // Chile moved its clocks from 00:00 to 01:00 on 2022-09-11.
  const clock = zoneClock('America/Santiago');
  const start = clock.bounds('2022-09-11').start_ms;
  assert.equal(start, Date.UTC(2022, 8, 11, 4));
  assert.equal(clock.hour(start), 1);
  assert.equal(clock.dayStartMs(Date.UTC(2022, 8, 11, 15)), start);
  assert.equal(isCalendarDay('2022-09-11'), true);
  assert.equal(isCalendarDay('2026-02-31'), false);
});

test('no other clock of local days in the kiosk: Intl date formats only in the store clock', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  const clocks = ['electron', 'ledger', 'vision', 'native', 'scripts', 'bin']
    .flatMap((d) => walk(join(ROOT, d)))
    .map((f) => relative(ROOT, f))
    .filter((f) => !f.startsWith('ledger/server/'))
    .filter((f) => /Intl\.DateTimeFormat|getTimezoneOffset|%\s*86_?400_?000/.test(readFileSync(join(ROOT, f), 'utf8')));
  // config.ts only asks Intl whether a time-zone name is real.
  assert.deepEqual(clocks.sort(), ['electron/config.ts', 'ledger/protocol/zone-clock.ts']);
});
