// Staff migration 3: lock-outs that grow on repeat. `lockouts` counts a member's lock-outs
// since their last good PIN; each next one lasts twice as long (pin-attempts.ts). Never edit
// after it ships.

export const version = 3;

export const sql = `
ALTER TABLE staff ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
`;
