import { dependencyCycle, missingProvider, unresolvableParam } from './messages.js';
import { visibleTokens } from './module-graph.js';
import { tokenName } from './token.js';
/**
 * Checks the whole graph before anything is built: every dependency has a token, every token is
 * visible from the module that asks for it, and nothing depends on itself.
 */
export function planGraph(graph) {
    const order = [];
    const absent = new Set();
    const state = new Map();
    const stack = [];
    const visibleCache = new Map();
    const visible = (def) => {
        let v = visibleCache.get(def);
        if (v === undefined) {
            const node = graph.declaredIn.get(def.token);
            v = node === undefined ? new Set(graph.global) : visibleTokens(graph, node);
            visibleCache.set(def, v);
        }
        return v;
    };
    const pathNames = () => {
        const root = graph.declaredIn.get(stack[0]);
        return [root?.name ?? '<framework>', ...stack.map(tokenName)];
    };
    const visit = (token) => {
        const s = state.get(token);
        if (s === 'done')
            return;
        const def = graph.defs.get(token);
        if (s === 'visiting') {
            const cycle = [...stack.slice(stack.indexOf(token)), token].map(tokenName);
            throw dependencyCycle(cycle, def.module);
        }
        state.set(token, 'visiting');
        stack.push(token);
        for (const dep of [...def.deps, ...def.props]) {
            if (dep.token === undefined)
                throw unresolvableParam(def, dep, pathNames());
            if (!visible(def).has(dep.token) || !graph.defs.has(dep.token)) {
                if (dep.optional)
                    absent.add(dep);
                else
                    throw missingProvider(graph, def, dep, pathNames());
                continue;
            }
            visit(dep.token);
        }
        stack.pop();
        state.set(token, 'done');
        order.push(def);
    };
    for (const token of graph.defs.keys())
        visit(token);
    return { order, absent };
}
