// Every screen's own text bundle (see bundle.ts); one import and one entry per bundle.
import type { Bundle } from './bundle.js';
import { builder } from './builder.js';

export const BUNDLES: Bundle[] = [
  builder,
];
