// What protects the kiosk's two secret keys at rest (device-key.json signs the ledger,
// box-key.json unseals every customer's face template), decided once at start and said plainly
// in the log and the start message. Plain Node, so that the rules are tested without Electron.
//
// - Electron with a real OS keychain (macOS Keychain, Windows DPAPI, libsecret or KWallet on
//   Linux): both keys sealed by safeStorage.
// - Electron on Linux can silently fall back to `basic_text` (no keyring daemon running): a
//   password written in Chromium's source, which protects nothing. That, an unknown backend, or
//   no encryption at all is weak.
// - Browser mode (plain Node) has no keychain: the files are protected only by their mode (0600)
//   and the OS account that runs the kiosk. Weak too.
// A weak protection is refused at start for a kiosk that moves real money (a settlement server
// is configured), unless keys.allow_weak_protection (SMILE_KEYS_ALLOW_WEAK=1) says this is
// development. The demo store (no settlement server) runs on weak protection and says so.
import type { KeyProtector } from '../../ledger/keys/key-protector.js';

/** What Electron's safeStorage says of itself (read after app ready). */
export interface KeychainFacts {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable(). */
  available: boolean;
  /** Linux: safeStorage.getSelectedStorageBackend(); null elsewhere. */
  backend: string | null;
}

/** The backends of safeStorage on Linux that are a keychain (the rest, basic_text and unknown, are not). */
export const STRONG_LINUX_BACKENDS: ReadonlySet<string> = new Set([
  'gnome_libsecret',
  'kwallet',
  'kwallet5',
  'kwallet6',
]);

/** Why safeStorage does not protect keys here, or null when it does. */
export function keychainWeakness(f: KeychainFacts): string | null {
  if (!f.available) return 'the OS keychain is not available (safeStorage cannot encrypt)';
  if (f.platform === 'linux' && !STRONG_LINUX_BACKENDS.has(f.backend ?? 'unknown'))
    return f.backend === 'basic_text'
      ? "safeStorage fell back to basic_text (no libsecret or KWallet running): a password written in Chromium's source, not a keychain"
      : `safeStorage's backend is ${JSON.stringify(f.backend ?? 'unknown')}, not a keychain`;
  return null;
}

export const BROWSER_MODE_WEAKNESS =
  'browser mode has no OS keychain: device-key.json and box-key.json are protected only by file mode 0600 and the OS account that runs the kiosk';

export class KeyProtectionError extends Error {
  readonly code = 'KEYS_UNPROTECTED';
}

export interface KeyProtection {
  /** Seals both keys; undefined: the files hold them in the clear (mode 0600). */
  protector: KeyProtector | undefined;
  strong: boolean;
  /** One line for the log and the start message. */
  statement: string;
}

/** Decides what protects the keys, or throws KeyProtectionError naming the fix. `weakness` is
 * keychainWeakness's answer for a safeStorage protector; without a protector it is browser mode's. */
export function decideKeyProtection(o: {
  protector: KeyProtector | undefined;
  weakness: string | null;
  allowWeak: boolean;
  /** A settlement server is configured: the keys sign and unseal real customers' money and faces. */
  realMoney: boolean;
}): KeyProtection {
  const weakness = o.protector === undefined ? (o.weakness ?? BROWSER_MODE_WEAKNESS) : o.weakness;
  if (weakness === null && o.protector !== undefined)
    return {
      protector: o.protector,
      strong: true,
      statement: `device and box keys sealed by the OS keychain (${o.protector.name})`,
    };
  if (o.realMoney && !o.allowWeak)
    throw new KeyProtectionError(
      `refusing to start: ${weakness}. This kiosk has a settlement server configured, so its keys sign real payments and unseal real customers' face templates. Run it in the Electron shell on a machine with an OS keychain (on Linux: a running libsecret keyring or KWallet), or, for development only, set keys.allow_weak_protection (SMILE_KEYS_ALLOW_WEAK=1).`,
    );
  // A weak keychain seals nothing worth having (basic_text's password is public): the files say
  // plainly that they are in the clear instead.
  return {
    protector: undefined,
    strong: false,
    statement: `keys NOT protected by a keychain: ${weakness}${o.realMoney ? ' (allowed by keys.allow_weak_protection: development only)' : ' (no settlement server: demo or development)'}`,
  };
}
