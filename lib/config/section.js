import { mergeParamInject, defineClassRecord, KEYS } from '../metadata/index.js';
import { Config, validateSection } from './config.js';
/** A typed, validated section of the configuration, injectable by its class. */
export class ConfigSection {
}
/**
 * A provider class for the section at `key`, validated at boot with `schema` (zod, valibot, ...):
 *
 *   export const DbConfig = configSection('data.database', z.object({ source: z.string() }));
 *   export type DbConfig = InstanceType<typeof DbConfig>;
 *   @Module({ providers: [DbConfig] })  ...  constructor(private readonly db: DbConfig) {}  // db.value.source
 *
 * A reload that makes the section invalid is refused (the last valid value stays).
 */
export function configSection(key, schema, options = {}) {
    const Section = class extends SectionImpl {
        constructor(config) {
            super(config, key, schema, options.reload !== false);
        }
    };
    Object.defineProperty(Section, 'name', { value: `ConfigSection(${key})` });
    defineClassRecord(Section, KEYS.injectable, { scope: 'singleton' });
    mergeParamInject(Section, 0, { token: Config });
    return Section;
}
class SectionImpl extends ConfigSection {
    key;
    #value;
    #listeners = new Set();
    #config;
    #schema;
    #reload;
    constructor(config, key, schema, reload) {
        super();
        this.#config = config;
        this.key = key;
        this.#schema = schema;
        this.#reload = reload;
    }
    get value() {
        return this.#value;
    }
    /** Validates at boot (a container lifecycle hook), then follows reloads if asked to. */
    async onInit() {
        this.#value = await this.#read(this.#config.get(this.key));
        if (!this.#reload)
            return;
        this.#config.watch(this.key, (v) => {
            this.#read(v).then((valid) => {
                this.#value = valid;
                for (const l of this.#listeners)
                    l(valid);
            }, () => undefined);
        });
    }
    watch(fn) {
        this.#listeners.add(fn);
        return () => void this.#listeners.delete(fn);
    }
    async #read(raw) {
        if (this.#schema === undefined)
            return raw;
        return validateSection(this.#schema, raw, this.key, (p) => this.#config.originOf(p));
    }
}
