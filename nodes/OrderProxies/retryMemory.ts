import type { Outcome } from './transport';

/**
 * What this process remembers of runs that did not finish cleanly, so that n8n's
 * "Retry On Fail" (which runs the node again with all its items, in the same execution and
 * run) never buys an item twice: a placed item is replayed, an item whose outcome is
 * unknown is not sent again. Refused and not-sent items are not remembered: they bought
 * nothing and may be sent again.
 *
 * A run that ends with every item placed is forgotten at once (n8n only retries a run that
 * failed), so the memory holds failed runs only, bounded in number and age. There are no
 * timers (n8n Cloud forbids them): stale runs are dropped whenever the memory is used.
 */

interface RunEntry {
	touchedAt: number;
	items: Map<number, { request: string; outcome: Outcome }>;
}

const MAX_REMEMBERED_RUNS = 1_000;
const MAX_RUN_AGE_MS = 60 * 60 * 1_000;

const runs = new Map<string, RunEntry>();

function prune(now: number) {
	for (const [key, run] of runs) {
		// Map keeps insertion order and touched runs are re-inserted: the oldest come first.
		if (runs.size <= MAX_REMEMBERED_RUNS && now - run.touchedAt <= MAX_RUN_AGE_MS) break;
		runs.delete(key);
	}
}

export interface RunMemory {
	recall(itemIndex: number, request: string): Outcome | undefined;
	remember(itemIndex: number, request: string, outcome: Outcome): void;
	forget(): void;
}

const NO_MEMORY: RunMemory = {
	recall: () => undefined,
	remember: () => {},
	forget: () => {},
};

export function runMemory(
	executionId: string | undefined,
	nodeName: string,
	runIndex: number,
): RunMemory {
	// Without an execution id two executions would share one memory, and one could replay the
	// other's order instead of buying its own. n8n gives every execution an id; this is a guard.
	if (!executionId) return NO_MEMORY;
	const key = JSON.stringify([executionId, nodeName, runIndex]);
	const now = Date.now();
	prune(now);
	// Re-inserted on every use, so that the Map's order stays oldest-first for prune().
	const entry: RunEntry = { touchedAt: now, items: runs.get(key)?.items ?? new Map() };
	runs.delete(key);
	runs.set(key, entry);

	return {
		recall(itemIndex, request) {
			const item = entry.items.get(itemIndex);
			return item && item.request === request ? item.outcome : undefined;
		},
		remember(itemIndex, request, outcome) {
			if (outcome.kind === 'placed' || outcome.kind === 'unknown') {
				entry.items.set(itemIndex, { request, outcome });
			}
		},
		forget() {
			runs.delete(key);
		},
	};
}

/** For tests and benchmarks: how many runs are remembered right now. */
export function rememberedRunCount(): number {
	return runs.size;
}
