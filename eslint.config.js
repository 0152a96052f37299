// Lint rules, and the layering of DESIGN.md enforced as import restrictions:
// a wrong import fails here, before review ("Bad layering", as VS Code says it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'Bad layering: this layer runs anywhere; no Node built-ins.' };
const noRenderer = { group: ['**/renderer/**'], message: 'Bad layering: trusted code never imports the renderer.' };
// The Electron package itself (not our electron/ folder, whose contract is shared).
const noElectron = {
  regex: '^electron(/.*)?$',
  message: 'Bad layering: Electron only in electron/main.ts and electron/preload.ts.',
};
const onlyContract = {
  regex: '(^|/)electron/(?!contract/)',
  message: 'Bad layering: the renderer reaches the host only through electron/contract.',
};
const noReact = {
  group: ['react', 'react-dom', 'react/*', 'react-dom/*'],
  message: 'Bad layering: no React outside the renderer.',
};
const noLedger = { group: ['**/ledger/**'], message: 'Bad layering: the renderer never touches the ledger.' };
const noNative = { group: ['**/native/**'], message: 'Bad layering: the renderer never touches native code.' };
const noSyncClient = {
  group: ['**/ledger/sync/**', '../sync/**'],
  message: 'Bad layering: the settlement server does not import the sync client.',
};
// The settlement server is a separate program: the wire protocol (ledger/wire) is what the
// server and the kiosk's sync client share, and the kiosk (electron/) holds none of the server.
const noServerFromSync = {
  group: ['**/ledger/server/**', '../server/**'],
  message: 'Bad layering: the sync client does not import the settlement server; share the protocol in ledger/wire.',
};
const noServerOrSyncFromWire = {
  group: ['**/ledger/server/**', '**/ledger/sync/**', '../server/**', '../sync/**'],
  message: 'Bad layering: the wire protocol is shared by the server and the sync client, and imports neither.',
};
const noServerInKiosk = {
  group: ['**/ledger/server/**'],
  message:
    "Bad layering: the kiosk library holds no settlement-server code (the demo server is the launcher's: scripts/demo-store.ts).",
};

// Values of the contract reach the page only from its zod-free files: every other contract
// file builds zod schemas, and a value import of one would ship the validator to the page.
const contractTypesOnly = {
  regex: '(^|/)electron/contract/(?!(constants|errors|call-table)\\.js$)',
  allowTypeImports: true,
  message:
    'Bad layering: the renderer imports values only from electron/contract/constants.ts (zod-free); the rest with "import type".',
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'artifacts/', 'test-results/', 'models/weights/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: { ...globals.node } } },
  { files: ['ledger/**/*.ts'], rules: restrict(noRenderer, noElectron, noReact) },
  { files: ['ledger/protocol/**/*.ts'], rules: restrict(nodeBuiltins, noRenderer, noElectron, noReact) },
  { files: ['ledger/server/**/*.ts'], rules: restrict(noRenderer, noElectron, noReact, noSyncClient) },
  { files: ['ledger/sync/**/*.ts'], rules: restrict(noRenderer, noElectron, noReact, noServerFromSync) },
  { files: ['ledger/wire/**/*.ts'], rules: restrict(noRenderer, noElectron, noReact, noServerOrSyncFromWire) },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: restrict(noRenderer, noElectron, noReact, noServerInKiosk),
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      ...restrict(noRenderer, noServerInKiosk),
      // [checklist 15] The shell never hands a URL to the OS (shell.openExternal), trusted or not.
      'no-restricted-properties': [
        'error',
        { object: 'shell', property: 'openExternal', message: 'the kiosk never opens URLs outside itself' },
      ],
      // [checklist 10] No Blink features switched on.
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='enableBlinkFeatures']", message: 'no enableBlinkFeatures in the kiosk' },
      ],
    },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: restrict(nodeBuiltins, noRenderer, noElectron, noReact, noLedger, noServerInKiosk),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      ...restrict(nodeBuiltins, noLedger, noNative, noElectron, onlyContract),
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [contractTypesOnly] }],
    },
  },
  // The face pipeline runs in the host's vision worker, the eval CLIs and the renderer alike.
  {
    files: ['vision/**/*.ts'],
    rules: {
      ...restrict(nodeBuiltins, noRenderer, noElectron, onlyContract, noReact, noLedger, noNative),
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [contractTypesOnly] }],
    },
  },
  { files: ['native/**/*.ts', 'models/**/*.ts'], rules: restrict(noRenderer, noElectron, noReact) },
);
