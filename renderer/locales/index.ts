// Every screen's own text bundle (see bundle.ts); one import and one entry per bundle.
import type { Bundle } from './bundle.js';
import { customer } from './customer.js';
import { errors } from './errors.js';
import { board } from './board.js';
import { staff } from './staff.js';
import { builder } from './builder.js';
import { checks } from './checks.js';
import { reports } from './reports.js';
import { integrity } from './integrity.js';
import { privacy } from './privacy.js';
import { settings } from './settings.js';
import { team } from './team.js';
import { checkout } from './checkout.js';
import { till } from './till.js';
import { screens } from './screens.js';
import { printing } from './printing.js';
import { fiscal } from './fiscal.js';
import { menu } from './menu.js';

export const BUNDLES: Bundle[] = [
  customer,
  errors,
  board,
  staff,
  builder,
  checks,
  reports,
  integrity,
  privacy,
  settings,
  team,
  screens,
  fiscal,
  checkout,
  till,
  printing,
  menu,
];
