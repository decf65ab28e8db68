/**
 * One write per host per tick. socket.io writes every packet — each launch, each ack — as its
 * own WebSocket frame, and the ws library flushes each frame with its own system call; a commit
 * that acknowledges twenty events of one host costs twenty writes. Corking the host's TCP socket
 * when the first packet of a tick is created and uncorking it when the tick's work is done sends
 * them in one. The bytes are unchanged; only their grouping into writes is. If socket.io's
 * internals ever move, this quietly does nothing.
 */
import type { Socket as NetSocket } from 'node:net';
import type { Socket } from 'socket.io';

interface EngineConn {
  transport?: { socket?: { _socket?: NetSocket } };
  on(event: 'packetCreate' | 'flush', listener: () => void): void;
}

/** The sockets corked this tick, all uncorked together when it ends (or by `uncorkNow`). */
const corked = new Set<NetSocket>();
let uncorkQueued = false;

export function corkPerTick(socket: Socket): void {
  const conn = socket.conn as unknown as EngineConn;
  const cork = () => {
    const raw = conn.transport?.socket?._socket;
    if (!raw || typeof raw.cork !== 'function' || raw.destroyed || corked.has(raw)) return;
    raw.cork();
    corked.add(raw);
    if (uncorkQueued) return;
    uncorkQueued = true;
    // After the current microtasks: every ack a commit resolves goes out in this write.
    process.nextTick(() => {
      uncorkQueued = false;
      uncorkNow();
    });
  };
  conn.on('packetCreate', cork);
  // Packets created while the previous write was in flight wait in engine.io's buffer and go out
  // when that write completes (engine.io emits 'flush' just before): corked too, or each of them
  // would be a write of its own — under load most of them.
  conn.on('flush', cork);
}

/** Writes what the corked sockets hold now, before the tick ends (a long turn sends as it goes). */
export function uncorkNow(): void {
  for (const raw of corked) if (!raw.destroyed) raw.uncork();
  corked.clear();
}
