import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { Failure, Outcomes } from './outcomes';

/**
 * At most one order per Order Key, across executions, workers and restarts, through n8n's
 * deduplication store (the one behind the Remove Duplicates node): a list of hashed values
 * per workflow and node, in n8n's database, shared by the main and every queue-mode worker.
 * Scope "node" ties keys to this node's id in this workflow: a copied node or a copied
 * workflow starts with no keys.
 *
 * n8n's store reads the list, adds, and writes it back, with no lock, so two claims at the
 * same moment can both see a key as new. A claim therefore also records a marker of its
 * own, waits longer than such a read-modify-write takes, and checks that its marker is
 * still there: of two claims that overlapped, the one whose write was overwritten sees its
 * marker gone, claims again, and now finds the key taken.
 */

/** Keys and markers kept per node: the oldest are dropped first (n8n's own trimming). */
const MAX_ENTRIES = 20_000;
/** Longer than one read-modify-write of the store (measured: see the README's figures). */
const SETTLE_MS = 300;
/**
 * All keys of a node share one row, so claims of different keys overwrite each other too: a
 * claim whose marker was lost tries again after a random pause, so that the claims spread out.
 */
const ATTEMPTS = 8;
const OPTIONS = { mode: 'entries' as const, maxEntries: MAX_ENTRIES };

export interface KeyClaims {
	/** 'claimed', or why the item must not be sent. */
	claim(key: string): Promise<'claimed' | Failure>;
	/** Gives a key back after an order that bought nothing. */
	release(key: string): Promise<void>;
}

type Store = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

export function keyClaims(
	ctx: IExecuteFunctions,
	guard: Outcomes['guard'],
	field: string,
): KeyClaims {
	const store = ctx.helpers as Partial<Store>;
	const claimId = `${ctx.getExecutionId() ?? 'no-execution'}:${Math.random().toString(36).slice(2)}`;
	let claims = 0;

	async function claimOnce(key: string, marker: string): Promise<'claimed' | 'used' | 'lost'> {
		const recorded = await (store as Store).checkProcessedAndRecord([key, marker], 'node', OPTIONS);
		if (recorded.processed.map(String).includes(key)) return 'used';
		await sleep(SETTLE_MS);
		const check = await (store as Store).checkProcessedAndRecord([marker], 'node', OPTIONS);
		return check.processed.length === 1 ? 'claimed' : 'lost';
	}

	return {
		async claim(key) {
			if (
				typeof store.checkProcessedAndRecord !== 'function' ||
				typeof store.removeProcessed !== 'function'
			) {
				return { ...guard.keyStoreMissing(), field };
			}
			const marker = `${key}\u0000claim:${claimId}:${++claims}`;
			let problem = 'no answer';
			for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
				if (attempt > 0) await sleep(Math.random() * SETTLE_MS * Math.min(attempt, 4));
				try {
					const result = await claimOnce(key, marker);
					if (result === 'claimed') return 'claimed';
					if (result === 'used') return { ...guard.duplicateKey(key, false), field };
					problem = 'concurrent claims kept overwriting it';
				} catch (error) {
					// Two first claims in a new store collide on its primary key: the next try sees the row.
					problem = error instanceof Error ? error.message : String(error);
				}
			}
			return { ...guard.keyStoreFailed(problem), field };
		},
		async release(key) {
			try {
				await (store as Store).removeProcessed([key], 'node', OPTIONS);
			} catch {
				// The key stays used: safe, if stricter than needed. The item's error says nothing was bought.
			}
		},
	};
}
