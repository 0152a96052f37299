// Hex for hashes and keys on the wire: lowercase, even length, checked. Runs anywhere.

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string, bytesExpected?: number): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex))
    throw new RangeError(`expected lowercase hex of even length, got ${JSON.stringify(hex.slice(0, 80))}`);
  if (bytesExpected !== undefined && hex.length !== bytesExpected * 2) {
    throw new RangeError(`expected ${bytesExpected} bytes of hex, got ${hex.length / 2}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
