// The shapes that cross the wire between a kiosk and the settlement server. snake_case,
// money as integer minor units and a currency, times in *_ms. Shared by both sides.

export const RECEIPT_STATUSES = ['settled', 'declined', 'recorded'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** What the server says about one entry. Signed as a leaf of its batch's Merkle tree. */
export interface Receipt {
  v: 1;
  kiosk_id: string;
  seq: number;
  entry_hash: string;
  /** settled: money moved; declined: it did not, see reason; recorded: no money to move. */
  status: ReceiptStatus;
  reason?: string;
  decided_at_ms: number;
}

/** The signed head of one batch of receipts (an RFC 6962 tree over their canonical bytes). */
export interface ReceiptBatchHead {
  v: 1;
  type: 'receipt_batch';
  batch_id: string;
  kiosk_id: string;
  /** The batch holds the receipts of entries first_seq .. first_seq + tree_size - 1. */
  first_seq: number;
  tree_size: number;
  root: string;
  signed_at_ms: number;
}

export interface SignedBatch {
  head: ReceiptBatchHead;
  signature: string;
}

export interface ReceiptItem {
  receipt: Receipt;
  batch_id: string;
  leaf_index: number;
  /**
   * Audit path of the receipt in its batch's tree, leaf first, hex. Left out when the answer
   * holds the whole batch (a fresh upload): the kiosk then rebuilds the tree and its root.
   */
  proof?: string[];
}

export interface WireEntry {
  /** The entry's canonical bytes, base64. */
  canonical: string;
  /** Ed25519 signature, 128 hex digits. */
  signature: string;
}

export interface UploadRequest {
  entries: WireEntry[];
}

export interface UploadResponse {
  kiosk_id: string;
  tip_seq: number;
  receipts: ReceiptItem[];
  batches: SignedBatch[];
}

export interface RegisterRequest {
  kiosk_id: string;
  public_key: string;
  box_public_key: string;
}

export interface RegisterResponse {
  kiosk_id: string;
  merchant_id: string;
  server_public_key: string;
  server_box_public_key: string;
  /** The server key's signature over its box key (SERVER_BOX_KEY_DOMAIN). */
  server_box_key_signature: string;
  tip_seq: number;
}

/** GET /v1/server-key: what a kiosk checks against its pin before it sends a merchant token. */
export interface ServerKeyAnswer {
  public_key: string;
  box_public_key: string;
  box_key_signature: string;
}

/**
 * The public receipt lookup (the receipt's QR code): what a receipt holder needs, never who
 * paid. The facts (everything but `signature`, `receipt` and `batch`) are signed by the
 * server, canonical, under RECEIPT_LOOKUP_DOMAIN; `receipt` and `batch` are the ones the
 * kiosk got at upload; `inclusion` is the entry's proof in its closed day's tree (whose
 * root the kiosk's signed day_close carries), once the kiosk has closed the day.
 */
export interface ReceiptFacts {
  v: 1;
  type: 'receipt_lookup';
  entry_hash: string;
  kind: string;
  amount_minor: number | null;
  currency: string | null;
  created_at_ms: number;
  status: ReceiptStatus;
  reason?: string;
  decided_at_ms: number;
  looked_up_at_ms: number;
  inclusion: DayInclusion | null;
}

export interface DayInclusion {
  day_close_seq: number;
  business_day: string;
  leaf_index: number;
  tree_size: number;
  root: string;
  proof: string[];
}

export interface ReceiptLookupAnswer extends ReceiptFacts {
  signature: string;
  receipt: ReceiptItem;
  batch: SignedBatch;
}

/** Templates sealed to a recipient's X25519 key (see sealed-box.ts), base64 fields. */
export interface SealedBox {
  ephemeral_public_key: string;
  nonce: string;
  ciphertext: string;
}

export interface ConsentRecord {
  /** What the customer agreed to, by the version of the text they were shown. */
  text_version: string;
  purpose: string;
  retention_days: number;
  agreed_at_ms: number;
  kiosk_id: string;
}

export interface EnrolRequest {
  customer_id: string;
  consent: ConsentRecord;
  templates: SealedBox;
}

export interface EnrolResponse {
  customer_id: string;
  wallet_account_id: string;
  currency: string;
}

export type FreezeTargetType = 'account' | 'payment';

/** A regulator's order, signed by the regulator key. */
export interface FreezeRecord {
  v: 1;
  freeze_id: string;
  action: 'freeze' | 'unfreeze';
  target_type: FreezeTargetType;
  /** An account id (wallet:..., merchant:...) or a payment's entry hash. */
  target_id: string;
  reason: string;
  issued_at_ms: number;
}

export interface SignedFreeze {
  record: FreezeRecord;
  signature: string;
}

export type FeedItem =
  | {
      cursor: number;
      type: 'customer_enrolled';
      customer_id: string;
      merchant_id: string;
      enrolled_at_ms: number;
      templates: SealedBox;
    }
  | { cursor: number; type: 'customer_deleted'; customer_id: string; deleted_at_ms: number }
  | {
      cursor: number;
      type: 'freeze';
      target_type: FreezeTargetType;
      target_id: string;
      frozen: boolean;
      reason: string;
    }
  | {
      cursor: number;
      type: 'limits';
      currency: string;
      payment_minor_max: number;
      customer_day_minor_max: number;
      unsynced_age_ms_max: number;
    };

export interface FeedPage {
  v: 1;
  type: 'feed_page';
  kiosk_id: string;
  after: number;
  next_cursor: number;
  items: FeedItem[];
  signed_at_ms: number;
}

export interface SignedFeedPage {
  page: FeedPage;
  signature: string;
}
