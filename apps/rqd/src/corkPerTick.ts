/**
 * One write per tick on the host's connection. socket.io writes every packet — a frame event,
 * the ack of a launch — as its own WebSocket frame and the ws library flushes each with its own
 * system call; a frame that ends sends its last log chunk and its exit in the same tick, and a
 * launch is answered in the tick its `frame:started` is queued. Corking the TCP socket at the
 * tick's first packet and uncorking it once the tick's work (and engine.io's own next-tick
 * flush) is done sends them in one write. The bytes are unchanged; only their grouping is. The
 * dispatcher does the same (apps/dispatcher/src/corkPerTick.ts). Relies on engine.io-client's
 * `packetCreate` event and its WebSocket transport's `ws._socket`: if they move, this quietly
 * does nothing.
 */
import type { Socket as NetSocket } from 'node:net';
import type { Socket } from 'socket.io-client';

interface Engine {
  transport?: { ws?: { _socket?: NetSocket } };
  on(event: 'packetCreate', listener: () => void): void;
}

export function corkPerTick(socket: Socket): void {
  const hook = () => {
    const engine = socket.io.engine as unknown as Engine | undefined;
    if (!engine) return;
    let corked: NetSocket | null = null;
    engine.on('packetCreate', () => {
      if (corked) return;
      const raw = engine.transport?.ws?._socket;
      if (!raw || typeof raw.cork !== 'function' || raw.destroyed) return;
      raw.cork();
      corked = raw;
      // After this tick's microtasks and next-ticks (engine.io flushes buffered packets on a next tick).
      setImmediate(() => {
        const r = corked;
        corked = null;
        if (r && !r.destroyed) r.uncork();
      });
    });
  };
  // socket.io-client opens a new engine on every (re)connection.
  socket.io.on('open', hook);
}
