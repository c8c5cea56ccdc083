import { sleep } from 'n8n-workflow';

import type { KeyStore } from './keyStore';
import type { Failure, Outcomes } from './outcomes';

/**
 * At most one request per key (Order Key, Exchange Key), across executions, workers and
 * restarts, through n8n's deduplication store (the one behind the Remove Duplicates node):
 * a list of hashed values per workflow and node, in n8n's database, shared by the main and
 * every queue-mode worker. A copied node or a copied workflow starts with no keys.
 *
 * The store offers no atomic claim: each call reads the node's whole list, changes it and
 * writes it back with no lock, so a write can erase what another call wrote between its read
 * and its write. A claim is therefore made by time, as in Fischer's algorithm:
 *   1. Write [m1, m2, m3, key] in one call, with markers never used before. If that very
 *      call answers that the key was there, the key is used: nothing is sent.
 *   2. Wait the settle time after that call returned, and look for the marker; LOOKS times.
 *   3. Found every time: claimed. Not found once: this claim's write was erased; try again
 *      with new markers (the key, erased with it, is found by whoever claims next).
 * A look records the marker when it is missing, so after such a look (or one that failed
 * and may have written) the marker never counts again: a look never makes its own proof.
 *
 * Why several looks: within one process the calls are serialized and nothing is erased at
 * all. Across processes, with every call writing within SETTLE of its read, one look is not
 * enough: a write that read the list before the claim can land after it, erasing it, and a
 * write that read in between can land later still, carrying the claim back, so the claim
 * can be seen, then lost to a list that never had it, under sustained load from several
 * processes (the simulation in test/key-claim.test.ts forces it). Each further look must
 * find the claim again; the measured rates are in docs/key-claim.md. The bound is enforced
 * on this claim's own calls: one slower than its share makes the claim untrusted.
 */

/**
 * Chosen from measurement (docs/scale.md, docs/key-claim.md). One store call (n8n's findOne
 * then update, each after two SETs of TypeORM's) takes about 13 ms on a nearby PostgreSQL, 310
 * ms at 50 ms per query and 910 ms at 150 ms. The settle time follows the database: at least
 * SETTLE, and SETTLE_FACTOR times this claim's own write call, since every process shares the
 * database; a call longer than SLOW (or than half the settle time, for a look) is untrusted.
 */
export const timing = {
	settleMs: 1_000,
	settleFactor: 3,
	slowMs: 1_200,
	looks: 5,
	attempts: 8,
	now: () => Date.now(),
	sleep: async (ms: number) => await sleep(ms),
	random: () => Math.random(),
};

/** A key this run holds: given back after a request that did nothing, or kept. */
export interface Claim {
	/** Gives the key back; false when that could not be made certain. */
	release(): Promise<boolean>;
	/** Keeps the key (done, or unknown) and removes its witness from the store. */
	keep(): Promise<void>;
}

export interface KeyClaims {
	/**
	 * Claims every key at once (one round of waits for the whole run): for each key, a claim
	 * or why its item must not be sent.
	 */
	claim(keys: string[]): Promise<Map<string, Claim | Failure>>;
	/** Removes the run's markers once every claim is kept or given back. */
	tidy(): Promise<void>;
}

let made = 0;
/** Never used before: a count for this process, random digits for the others. */
const marker = () =>
	`\u0000claim:${++made}:${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

/** The settle time after a call that took `took` ms, and the longest look trusted after it. */
function settleAfter(took: number) {
	const settle = Math.max(timing.settleMs, timing.settleFactor * took);
	return { settle, limit: Math.min(timing.slowMs, settle / 2) };
}

/** A store call slower than the safe share of the settle time. */
interface Slow {
	slow: number;
}
const isSlow = (value: unknown): value is Slow => typeof value === 'object' && value !== null;

/**
 * Looks for markers written by one earlier call, the first first. A look that found its
 * marker may look again; a look that failed (and so may have written it) spends it, and the
 * next marker is the spare. A look that found it missing wrote it: the try ends there and
 * its markers never count again.
 */
class Markers {
	private next = 0;

	constructor(
		private readonly store: KeyStore,
		readonly all: string[],
	) {}

	/**
	 * true or false, undefined when no marker is left to ask about, or a look slower than
	 * `limit` ms (untrusted).
	 */
	async look(limit: number): Promise<boolean | undefined | Slow> {
		while (this.next < this.all.length) {
			const one = this.all[this.next];
			let look;
			try {
				look = await this.store.record([one]);
			} catch {
				this.next++;
				continue;
			}
			if (look.took > limit) return { slow: look.took };
			return look.result.includes(one);
		}
		return undefined;
	}
}

export function keyClaims(
	store: KeyStore | undefined,
	guard: Outcomes['guard'],
	field: string,
): KeyClaims {
	/** Values this run wrote that no longer decide anything: removed at the end. */
	const strays: string[] = [];

	/** Removes values; a removal that is lost only leaves them taking room. */
	async function tidy(values: string[]) {
		if (values.length === 0) return;
		try {
			await (store as KeyStore).remove(values);
		} catch {
			// Stray markers never decide anything.
		}
	}

	/**
	 * Gives a key back: removes it with its witness, a marker written with it, waits, and
	 * looks for the witness. A write that read the list before the removal brings both back
	 * together: found means remove again.
	 */
	async function release(key: string, witness: string): Promise<boolean> {
		for (let attempt = 0; attempt < timing.attempts; attempt++) {
			try {
				const removal = await (store as KeyStore).remove([key, witness]);
				if (removal.took > timing.slowMs) return false;
				const { settle, limit } = settleAfter(removal.took);
				await timing.sleep(settle);
				const back = await new Markers(store as KeyStore, [witness]).look(limit);
				if (back === undefined || isSlow(back)) return false;
				if (!back) {
					strays.push(witness);
					return true;
				}
			} catch {
				return false;
			}
		}
		return false;
	}

	const held = (key: string, witness: string): Claim => ({
		release: async () => await release(key, witness),
		keep: async () => await tidy([witness]),
	});

	/**
	 * One try for the keys still open: records, per key, what it came to. A key erased with
	 * this try's write (lost) stays open for the next try.
	 */
	async function attempt(open: string[], results: Map<string, Claim | Failure>) {
		const fail = (failure: Failure) =>
			open.forEach((key) => results.set(key, { ...failure, field }));
		const markers = new Markers(store as KeyStore, [marker(), marker(), marker()]);
		const witnesses = new Map(open.map((key) => [key, marker()]));
		// Markers first: n8n trims the oldest entries, so a marker that survives keeps what follows.
		const values = [...markers.all, ...open.flatMap((key) => [witnesses.get(key) as string, key])];
		let written;
		const started = timing.now();
		try {
			written = await (store as KeyStore).record(values);
		} catch (error) {
			// Whether the write happened is unknown: after the settle time, a marker tells.
			const why = error instanceof Error ? error.message : String(error);
			const { settle, limit } = settleAfter(timing.now() - started);
			await timing.sleep(settle);
			const landed = await markers.look(limit);
			strays.push(...values.filter((value) => !open.includes(value)));
			if (isSlow(landed)) return fail(guard.keySlow(landed.slow, true));
			if (landed !== false) fail(guard.keyUncertain(why));
			return;
		}
		const fresh = open.filter((key) => {
			if (!written.result.includes(key)) return true;
			strays.push(witnesses.get(key) as string);
			results.set(key, { ...guard.duplicateKey(key, 'before'), field });
			return false;
		});
		strays.push(...markers.all);
		if (fresh.length === 0) return;
		// This try wrote the keys, unproven, in a call slow enough to break the bound.
		if (written.took > timing.slowMs) return fail(guard.keySlow(written.took, true));
		const { settle, limit } = settleAfter(written.took);
		for (let look = 0; look < timing.looks; look++) {
			await timing.sleep(settle);
			const found = await markers.look(limit);
			// Not proven, so not given back either: another claim may hold the key by now.
			if (isSlow(found)) return fail(guard.keySlow(found.slow, true));
			if (found === undefined) return fail(guard.keyUncertain('the store did not answer'));
			if (!found) {
				fresh.forEach((key) => strays.push(witnesses.get(key) as string));
				return;
			}
		}
		for (const key of fresh) results.set(key, held(key, witnesses.get(key) as string));
	}

	return {
		async claim(keys) {
			const results = new Map<string, Claim | Failure>();
			if (!store) {
				for (const key of keys) results.set(key, { ...guard.keyStoreMissing(), field });
				return results;
			}
			for (let round = 0; round < timing.attempts; round++) {
				const open = keys.filter((key) => !results.has(key));
				if (open.length === 0) return results;
				if (round > 0) {
					// All keys of a node share one list, so claims of different keys erase each
					// other too: a claim that lost spreads out from the others before trying again.
					await timing.sleep(timing.random() * timing.settleMs * Math.min(round, 4));
				}
				await attempt(open, results);
			}
			for (const key of keys) {
				if (!results.has(key)) {
					results.set(key, {
						...guard.keyStoreFailed('concurrent claims kept overwriting it'),
						field,
					});
				}
			}
			return results;
		},
		tidy: async () => await tidy(strays.splice(0)),
	};
}
