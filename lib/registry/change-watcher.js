/**
 * A {@link Watcher} over any change signal: the first next() gives the current list when it is not
 * empty; later ones wait for `changed()` and list again. After stop(), next() gives an empty list.
 */
export function changeWatcher(list, onStop) {
    let first = true;
    let pending = false;
    let stopped = false;
    let wake;
    const changed = () => {
        pending = true;
        wake?.();
    };
    const watcher = {
        next: async () => {
            if (first) {
                first = false;
                const now = await list();
                if (now.length > 0)
                    return now;
            }
            while (!pending && !stopped)
                await new Promise((r) => (wake = r));
            pending = false;
            return stopped ? [] : list();
        },
        stop: async () => {
            stopped = true;
            wake?.();
            await onStop();
        },
    };
    return { watcher, changed };
}
