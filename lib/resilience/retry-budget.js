import { numberOption } from './options.js';
import { RollingWindow } from './rolling-window.js';
/** Deposits and withdrawals expire after this long, ms. */
const BUDGET_WINDOW_MS = 10_000;
const BUDGET_BUCKETS = 10;
/**
 * A retry budget (after Finagle's): each request deposits `ratio` of a token, each retry withdraws one,
 * and both expire after 10 s; `minPerSecond` · 10 s tokens are always there so quiet clients can still
 * retry. When a backend is down, retries therefore add at most `ratio` to its load instead of
 * multiplying it by the attempt count, which is what turns a blip into an outage.
 * @public
 */
export class RetryBudget {
    #ratio;
    #reserve;
    #requests;
    #retries;
    constructor(options = {}, clock = () => performance.now()) {
        this.#ratio = numberOption('retry', 'budget.ratio', options.ratio, 0.2, { min: 0 });
        const perSecond = numberOption('retry', 'budget.minPerSecond', options.minPerSecond, 10, { min: 0 });
        this.#reserve = (perSecond * BUDGET_WINDOW_MS) / 1000;
        this.#requests = new RollingWindow({ window: BUDGET_WINDOW_MS, size: BUDGET_BUCKETS, clock });
        this.#retries = new RollingWindow({ window: BUDGET_WINDOW_MS, size: BUDGET_BUCKETS, clock });
    }
    /** Records a request (not a retry). */
    deposit() {
        this.#requests.add(1);
    }
    /** Takes a token for one retry; false, taking nothing, when the budget is spent. */
    tryWithdraw() {
        if (this.balance() < 1)
            return false;
        this.#retries.add(1);
        return true;
    }
    /** Retries the budget allows now. */
    balance() {
        return this.#reserve + this.#ratio * this.#requests.totals().count - this.#retries.totals().count;
    }
}
