import { Container } from 'inversify';
import { FrameworkError } from '../errors/index.js';
import { hasHook } from './lifecycle.js';
import { buildModuleGraph } from './module-graph.js';
import { planGraph } from './plan.js';
import { normalizeProvider } from './provider.js';
import { tokenName } from './token.js';
// Stands in for optional dependencies nobody provides, so inversify injects undefined for them.
const ABSENT = Symbol('kratos-ts/absent');
/**
 * The app's dependency graph over inversify: planned and checked first, then built, with provider
 * lifecycle hooks run in dependency order (and in reverse on the way down).
 */
export class AppContainer {
    #inversify = new Container();
    #graph;
    #plan;
    #singletons = new Map();
    /** Distinct singleton instances in dependency order; an alias does not add a second entry. */
    #instances = [];
    #started = [];
    constructor(graph, plan) {
        this.#graph = graph;
        this.#plan = plan;
    }
    /** Plans, checks and builds the graph of `root`; runs every singleton's onInit. */
    static async create(root, options = {}) {
        const graph = buildModuleGraph(root, options.global ?? []);
        for (const o of options.overrides ?? [])
            applyOverride(graph, o);
        const c = new AppContainer(graph, planGraph(graph));
        c.#bindAll();
        await c.#buildSingletons();
        return c;
    }
    get graph() {
        return this.#graph;
    }
    get root() {
        return this.#graph.root;
    }
    /** Every distinct singleton built at boot, in dependency order. */
    singletons() {
        return this.#instances.map((i) => i.value);
    }
    has(token) {
        return this.#graph.defs.has(token);
    }
    /** The value of `token`: the singleton built at boot, or a new transient instance. */
    get(token) {
        if (this.#singletons.has(token))
            return this.#singletons.get(token);
        if (!this.#graph.defs.has(token)) {
            throw new FrameworkError('KRATOS_ERR_TOKEN_UNKNOWN', `no provider for ${tokenName(token)} in this application`);
        }
        return this.#inversify.get(token);
    }
    /** Like {@link get}, for transient providers whose factory is async. */
    async resolve(token) {
        if (this.#singletons.has(token))
            return this.#singletons.get(token);
        this.get(token); // throws the coded error for unknown tokens
        return this.#inversify.getAsync(token);
    }
    /** Runs onStart in dependency order; on failure, stops what already started and rethrows. */
    async start() {
        for (const { def, value } of this.#instances) {
            try {
                if (hasHook(value, 'onStart'))
                    await value.onStart();
            }
            catch (err) {
                await this.stop();
                throw hookFailed(def, 'onStart', err);
            }
            this.#started.push(value);
        }
    }
    /** Runs onStop in reverse start order; every hook runs, the first failure is rethrown after. */
    async stop() {
        const started = this.#started.splice(0).reverse();
        await runAll(started.map((value) => ({ value, def: this.#defOf(value) })), 'onStop');
    }
    /** Runs onDestroy in reverse dependency order; every hook runs, the first failure is rethrown after. */
    async destroy() {
        await runAll([...this.#instances].reverse(), 'onDestroy');
    }
    #defOf(value) {
        return this.#instances.find((i) => i.value === value).def;
    }
    #bindAll() {
        const c = this.#inversify;
        c.bind(ABSENT).toConstantValue(undefined);
        for (const def of this.#plan.order) {
            const id = def.token;
            if (def.kind === 'value') {
                c.bind(id).toConstantValue(def.target);
                continue;
            }
            if (def.kind === 'existing') {
                c.bind(id).toService(def.target);
                continue;
            }
            const deps = [...def.deps, ...def.props].map((d) => this.#injectOption(d));
            const make = def.kind === 'class' ? construct(def) : def.target;
            const bound = c.bind(id).toResolvedValue(make, deps);
            if (def.scope === 'transient')
                bound.inTransientScope();
            else
                bound.inSingletonScope();
        }
    }
    #injectOption(dep) {
        if (this.#plan.absent.has(dep))
            return ABSENT;
        return dep.token;
    }
    async #buildSingletons() {
        const seen = new Set();
        for (const def of this.#plan.order) {
            if (def.scope !== 'singleton')
                continue;
            let value;
            try {
                value = await this.#inversify.getAsync(def.token);
            }
            catch (err) {
                throw hookFailed(def, 'factory', err);
            }
            this.#singletons.set(def.token, value);
            if (typeof value === 'object' && value !== null ? seen.has(value) : true)
                continue;
            seen.add(value);
            this.#instances.push({ def, value });
            try {
                if (hasHook(value, 'onInit'))
                    await value.onInit();
            }
            catch (err) {
                throw hookFailed(def, 'onInit', err);
            }
        }
    }
}
function construct(def) {
    const cls = def.target;
    const n = def.deps.length;
    const props = def.props;
    return (...args) => {
        const instance = new cls(...args.slice(0, n));
        for (let i = 0; i < props.length; i++)
            instance[props[i].at] = args[n + i];
        return instance;
    };
}
function applyOverride(graph, provider) {
    const def = normalizeProvider(provider, '<override>');
    const prev = graph.defs.get(def.token);
    if (prev === undefined) {
        throw new FrameworkError('KRATOS_ERR_TOKEN_UNKNOWN', `the override for ${tokenName(def.token)} matches no provider of the application`, {
            hint: 'Override a token that a module (or the framework) provides; check for a typo or a missing import.',
        });
    }
    graph.defs.set(def.token, { ...def, module: prev.module });
}
function hookFailed(def, hook, cause) {
    if (FrameworkError.isFrameworkError(cause))
        return cause;
    const what = hook === 'factory' ? 'building' : hook;
    const msg = cause instanceof Error ? cause.message : String(cause);
    return new FrameworkError('KRATOS_ERR_LIFECYCLE_FAILED', `${what} ${tokenName(def.token)} (module ${def.module}) failed: ${msg}`, { cause });
}
async function runAll(items, hook) {
    let first;
    for (const { def, value } of items) {
        try {
            if (hasHook(value, hook))
                await value[hook]();
        }
        catch (err) {
            first ??= hookFailed(def, hook, err);
        }
    }
    if (first !== undefined)
        throw first;
}
