/** Composes middleware into one; `m[0]` is the outermost (Kratos `Chain`). */
export function chain(...m) {
    return (next) => {
        let h = next;
        for (let i = m.length - 1; i >= 0; i--)
            h = m[i](h);
        return h;
    };
}
