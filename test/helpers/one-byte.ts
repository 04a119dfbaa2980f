import { serialize } from 'node:v8';

/** Whether V8 holds `s` one byte a character: its own serializer tags such a string '"', a two-byte one 'c'. */
export const heldOneByte = (s: string): boolean => serialize(s)[2] === 0x22;
