import type { IExecuteFunctions } from 'n8n-workflow';

import type { Action, Done, Outcome, Prepared } from './action';
import type { Flight, Scope } from './executionScope';
import type { ItemMemory } from './itemMemory';
import type { Refusal } from './nodeErrors';
import type { Failure, Outcomes } from './outcomes';

/** What happens to an item: decided for all items before the first request is sent. */
export type Plan =
	| { kind: 'send'; item: Prepared }
	| { kind: 'preview'; item: Prepared }
	/** An item an earlier try of this run sent with a known result, or left unknown; `now` is what it asks for today. */
	| { kind: 'replay'; now: Plan }
	/** As a tool: the same request was done earlier in this execution; its result is given back. */
	| { kind: 'again'; item: Prepared; done: Done }
	/** The same request is on its way from another run right now: its outcome decides. */
	| { kind: 'wait'; item: Prepared; flight: Flight }
	| Refusal;

/**
 * n8n's Retry button starts a new execution of a failed one, in mode "retry": no memory
 * knows what the failed execution did. A sub-workflow that such an execution starts runs
 * in mode "integrated"; n8n 2.x hands it the root execution's mode in its additional data,
 * which is not part of the nodes' API but the only place that says so.
 */
export function retriedBy(ctx: IExecuteFunctions): 'execution' | 'parent' | undefined {
	if (ctx.getMode() === 'retry') return 'execution';
	const root = (ctx as { additionalData?: { rootExecutionMode?: unknown } }).additionalData;
	return root?.rootExecutionMode === 'retry' ? 'parent' : undefined;
}

export function planItem(
	ctx: IExecuteFunctions,
	action: Action,
	{ guard }: Outcomes,
	itemIndex: number,
	retried: 'execution' | 'parent' | undefined,
): Plan {
	let check;
	try {
		check = action.check(ctx, itemIndex);
	} catch (error) {
		// n8n's own refusals, such as an expression that does not evaluate.
		return { kind: 'thrown', error: error as Error };
	}
	if (!check.ok) {
		const { field, message, description } = check.problem;
		return {
			kind: 'failed',
			failure: {
				kind: 'invalid',
				field,
				message,
				description: `${description} Nothing was sent to StatProxies.`,
			},
		};
	}
	const item = check.value;
	if (item.dryRun) return { kind: 'preview', item };
	if (retried && !item.inRetries) {
		return {
			kind: 'failed',
			failure: { ...guard.retriedExecution(retried === 'parent'), field: action.fields.inRetries },
		};
	}
	return { kind: 'send', item };
}

/**
 * The guards that look beyond one item, applied in item order before anything is sent:
 * Retry On Fail replays, no repeat of a request that ended unknown elsewhere in the
 * execution (or, as a tool, of one done), one use of a key per run, and the execution's
 * budget. Returns what each item to send has reserved of the budget, which it gives back if
 * it ends with nothing done, and how to say how its request ended.
 */
export function applyExecutionGuards(
	plans: Plan[],
	{
		action,
		outcomes: { guard },
		items,
		scope,
		run,
		where,
		asTool,
	}: {
		action: Action;
		outcomes: Outcomes;
		items: ItemMemory;
		scope: Scope;
		run: string;
		/** This run, in the scope: "<execution>/<run>". */
		where: string;
		asTool: boolean;
	},
) {
	const reserved = new Map<number, number>();
	/** Per item sent: what says how its request ended, to an identical one waiting for it. */
	const landings = new Map<number, (outcome: Outcome) => void>();
	const keysInRun = new Set<string>();
	for (const [itemIndex, plan] of plans.entries()) {
		// An item an earlier try sent with a result or left unknown is never sent again,
		// whatever it asks for now (other parameters, a dry run, even invalid ones): only
		// refused and unsent items are sent again.
		if (items.recall(run, itemIndex)) {
			plans[itemIndex] = { kind: 'replay', now: plan };
			continue;
		}
		if (plan.kind !== 'send') continue;
		const { item } = plan;
		const fail = (failure: Failure) => (plans[itemIndex] = { kind: 'failed', failure });
		const ask = JSON.stringify(item.ask);
		// A sub-workflow run again after it failed (Retry On Fail of the node that calls it):
		// what the failed run did for this same item and request is not done twice.
		const before = scope.failedBefore(itemIndex, ask);
		if (before?.kind === 'done') {
			plans[itemIndex] = { kind: 'again', item, done: before };
			continue;
		}
		if (before || scope.unknownElsewhere(ask, where)) {
			fail(guard.repeatAfterUnknown());
			continue;
		}
		// An agent that retries after an error, or repeats itself, asks again with a new call:
		// it gets what it already has, unless the node allows identical repeats.
		const done = asTool && !item.repeat ? scope.doneBefore(ask) : undefined;
		if (done) {
			plans[itemIndex] = { kind: 'again', item, done };
			continue;
		}
		// Tool calls side by side: an identical one already on its way is waited for, never doubled.
		const flight = scope.inFlight(ask, where);
		if (flight && asTool && !item.repeat) {
			plans[itemIndex] = { kind: 'wait', item, flight };
			continue;
		}
		if (item.key !== undefined) {
			if (keysInRun.has(item.key)) {
				fail({ ...guard.duplicateKey(item.key, 'run'), field: action.fields.key });
				continue;
			}
			keysInRun.add(item.key);
		}
		if (scope.spent() + item.cost > item.budget) {
			const left = Math.max(0, item.budget - scope.spent());
			fail({ ...guard.overBudget(item.cost, left, item.budget), field: action.fields.budget });
			continue;
		}
		// Reserved at once, with no await in between: two tool calls running side by side
		// cannot both spend the same remainder.
		scope.reserve(item.cost);
		reserved.set(itemIndex, item.cost);
		landings.set(itemIndex, scope.takeOff(ask, where));
	}
	return { reserved, landings };
}
