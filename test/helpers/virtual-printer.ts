// A network receipt printer on loopback for the tests: a TCP server that keeps every byte each
// connection sent, answers the status requests as a printer does (DLE EOT 1: online; DLE EOT 4:
// paper present, or the roll-end bits when told the paper is out), and can be killed in the
// middle of a job (the connection dropped after a number of bytes, the server gone) and started
// again on the same port.
import { createServer, type Server, type Socket } from 'node:net';

export class VirtualPrinter {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** The bytes of each connection, in order. */
  readonly sessions: Buffer[] = [];
  paperOut = false;
  /** Kill the printer once this many bytes of one connection arrived (null: never). */
  dieAfterBytes: number | null = null;
  port = 0;

  static async start(port = 0): Promise<VirtualPrinter> {
    const p = new VirtualPrinter();
    await p.listen(port);
    return p;
  }

  async listen(port = this.port): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** All bytes received, every connection one after the other. */
  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.sessions));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const index = this.sessions.push(Buffer.alloc(0)) - 1;
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      let chunk = d;
      if (this.dieAfterBytes !== null) {
        const room = this.dieAfterBytes - this.sessions[index]!.length;
        if (room <= chunk.length) {
          this.sessions[index] = Buffer.concat([this.sessions[index]!, chunk.subarray(0, Math.max(0, room))]);
          this.dieAfterBytes = null;
          void this.kill();
          return;
        }
      }
      this.sessions[index] = Buffer.concat([this.sessions[index]!, chunk]);
      // Status requests are answered at once, in the order they come (a printer's real-time commands).
      for (let i = 0; i + 2 < chunk.length; i++) {
        if (chunk[i] !== 0x10 || chunk[i + 1] !== 0x04) continue;
        const n = chunk[i + 2];
        if (n === 1) socket.write(Buffer.from([0x16]));
        else if (n === 4) socket.write(Buffer.from([this.paperOut ? 0x72 : 0x12]));
        else if (n === 2 || n === 3) socket.write(Buffer.from([0x12]));
      }
      chunk = Buffer.alloc(0);
    });
  }

  /** The printer switched off: every connection dropped, nothing listening. */
  async kill(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.kill();
  }
}
