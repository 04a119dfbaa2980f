import { FrameworkError } from '../errors/index.js';
import { readConstructorDeps, readInjectable, readPropertyDeps } from '../metadata/index.js';
import { tokenName } from './token.js';
const USE_KEYS = ['useClass', 'useValue', 'useFactory', 'useExisting'];
function classDef(token, cls, module, scope) {
    return {
        token,
        kind: 'class',
        target: cls,
        scope: scope ?? readInjectable(cls)?.scope ?? 'singleton',
        deps: readConstructorDeps(cls),
        props: readPropertyDeps(cls),
        module,
    };
}
function factoryDeps(inject) {
    return (inject ?? []).map((d, i) => typeof d === 'object' && d !== null && 'token' in d
        ? { at: i, token: d.token, optional: d.optional ?? false, source: 'inject' }
        : { at: i, token: d, optional: false, source: 'inject' });
}
function invalid(module, what) {
    return new FrameworkError('KRATOS_ERR_PROVIDER_INVALID', `module ${module}: ${what}`);
}
/** Reads any accepted provider form; throws a coded error naming the module for anything else. */
export function normalizeProvider(p, module) {
    if (typeof p === 'function')
        return classDef(p, p, module);
    if (typeof p !== 'object' || p === null || !('provide' in p)) {
        return fail(invalid(module, `provider ${String(p)} is neither a class nor an object with 'provide'`));
    }
    const o = p;
    const token = o['provide'];
    const uses = USE_KEYS.filter((k) => k in o);
    if (uses.length !== 1) {
        return fail(invalid(module, `provider for ${tokenName(token)} must have exactly one of ${USE_KEYS.join(', ')} (found ${uses.length})`));
    }
    const scope = o['scope'];
    if (scope !== undefined && scope !== 'singleton' && scope !== 'transient') {
        return fail(invalid(module, `provider for ${tokenName(token)} has scope '${String(scope)}'; use 'singleton' or 'transient'`));
    }
    switch (uses[0]) {
        case 'useClass':
            if (typeof o['useClass'] !== 'function')
                return fail(invalid(module, `useClass of ${tokenName(token)} is not a class`));
            return classDef(token, o['useClass'], module, scope);
        case 'useFactory':
            if (typeof o['useFactory'] !== 'function')
                return fail(invalid(module, `useFactory of ${tokenName(token)} is not a function`));
            return {
                token,
                kind: 'factory',
                target: o['useFactory'],
                scope: scope ?? 'singleton',
                deps: factoryDeps(o['inject']),
                props: [],
                module,
            };
        case 'useExisting':
            return {
                token,
                kind: 'existing',
                target: o['useExisting'],
                scope: 'singleton',
                deps: [{ at: 0, token: o['useExisting'], optional: false, source: 'inject' }],
                props: [],
                module,
            };
        default:
            return { token, kind: 'value', target: o['useValue'], scope: 'singleton', deps: [], props: [], module };
    }
}
function fail(e) {
    throw e;
}
/** True when two declarations describe the same provider (then one instance serves both). */
export function sameProvider(a, b) {
    return a.kind === b.kind && a.target === b.target && a.scope === b.scope;
}
