import { Metadata } from '@grpc/grpc-js';
/** gRPC metadata as a {@link Header}; binary (`-bin`) entries are read as base64 strings. */
export class MetadataHeader {
    metadata;
    constructor(metadata = new Metadata()) {
        this.metadata = metadata;
    }
    get(key) {
        return this.values(key)[0];
    }
    set(key, value) {
        const k = key.toLowerCase();
        if (k.endsWith('-bin'))
            this.metadata.set(k, Buffer.from(value, 'base64'));
        else
            this.metadata.set(k, value);
    }
    add(key, value) {
        const k = key.toLowerCase();
        if (k.endsWith('-bin'))
            this.metadata.add(k, Buffer.from(value, 'base64'));
        else
            this.metadata.add(k, value);
    }
    keys() {
        return Object.keys(this.metadata.getMap());
    }
    values(key) {
        return this.metadata.get(key.toLowerCase()).map((v) => (typeof v === 'string' ? v : v.toString('base64')));
    }
    /** Whether anything was set. */
    get empty() {
        return this.keys().length === 0;
    }
}
