import type { Socket } from 'node:net';
import * as ws from 'ws';
import type WebSocket from 'ws';

/**
 * WebSocket text frames built once and written as they are to every socket that gets the
 * same bytes: a broadcast pays for JSON and framing once, not once per client. Server
 * frames are unmasked, so one frame suits every connection. This writes beneath `ws`
 * (to the socket it wraps), which is sound while permessage-deflate is off: ws's sender
 * then writes each frame synchronously, so frames never interleave.
 */
export type Frame = Buffer;

// ws exports its Sender (with the static `frame`) but its type definitions do not declare it.
interface SenderStatics {
  frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[];
}
const Sender = (ws as unknown as { Sender: SenderStatics }).Sender;

export function textFrame(text: string): Frame {
  const parts = Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const rawSocketOf = (socket: WebSocket) => (socket as unknown as { _socket: Socket })._socket;

/** Writes a prepared frame; answers the bytes still waiting in the socket's buffer. */
export function writeFrame(socket: WebSocket, frame: Frame): number {
  const raw = rawSocketOf(socket);
  raw.write(frame);
  return raw.writableLength;
}
