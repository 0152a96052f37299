#!/usr/bin/env node
// Evaluation CLI for the face pipeline on any folder: eval faces | spoof | stream (see --help).
// Runs the TypeScript implementation (bin/eval/cli.ts) through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./eval/cli.ts');
