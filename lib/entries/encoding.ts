// `kratos-ts/encoding`: codecs by content type, and proto3 JSON.
export { CodecRegistry, defaultCodecs, toProtoJson, fromProtoJson, DEFAULT_DECODE_LIMITS } from '../encoding/index.js';
export type { Codec, DecodeLimits } from '../encoding/index.js';
