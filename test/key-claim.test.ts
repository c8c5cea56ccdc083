import { keyClaims, timing, type Claim } from '../nodes/shared/keyClaim';
import { MAX_ENTRIES } from '../nodes/shared/keyStore';
import { orderAction } from '../nodes/OrderProxies/order';
import { outcomesFor, type Failure } from '../nodes/shared/outcomes';
import { seeded, useVirtualTime, VirtualClock, VirtualStore } from './harness/virtualStore';

/** When a call reads and writes (ms from its start), and whether it fails before or after writing. */
interface Latency {
	read: number;
	write: number;
	fail?: 'before' | 'after';
}
interface Call {
	who: string;
	index: number;
	kind: string;
	values: string[];
}
type Schedule = (call: Call) => Latency;

/**
 * The Order Key claim against a store that behaves like n8n's (read the node's whole list,
 * change it, write it back, no lock), with every interleaving forced on a virtual clock. The
 * claim's promise: whenever every store call writes within the settle time of its read, a key
 * is claimed at most once until it is given back. Each claimant here stands for an execution
 * in another process (claims in one process are serialized, see order-key.test.ts).
 */

const { guard } = outcomesFor(orderAction.words);
const SETTLE = timing.settleMs;

let clock: VirtualClock;
let restore: () => void;

function start(seed = 1) {
	clock = new VirtualClock();
	restore = useVirtualTime(timing, clock, seeded(seed));
}

afterEach(() => restore());

const isClaim = (result: Claim | Failure): result is Claim => 'release' in result;
const verdict = (result: Claim | Failure) => (isClaim(result) ? 'claimed' : result.kind);

/**
 * One execution's claim of one key, as the node's loop makes it: the claim's markers are
 * tidied once the claim is kept or given back (or at once when it failed).
 */
async function claim(store: VirtualStore, who: string, key: string, process?: string) {
	const claims = keyClaims(store.as(who, process), guard, 'orderKey');
	const result = (await claims.claim([key])).get(key) as Claim | Failure;
	if (!isClaim(result)) {
		await claims.tidy();
		return result;
	}
	return {
		keep: async () => {
			await result.keep();
			await claims.tidy();
		},
		release: async () => {
			const freed = await result.release();
			await claims.tidy();
			return freed;
		},
	} satisfies Claim;
}

/** Every call reads at once and writes `ms` later: the longest read-to-write the case allows. */
const everyCall =
	(ms: number): Schedule =>
	() => ({ read: 0, write: ms });

describe('Case 1: 20 distinct keys claimed at once, then the same 20 again (every call writes 50 ms after its read)', () => {
	test('20 claims, one per key, and all 20 sent again are duplicates', async () => {
		start(1);
		const store = new VirtualStore(clock, everyCall(50));
		const keys = Array.from({ length: 20 }, (_, i) => `invoice-${i}`);
		const first = await clock.run(keys.map((key, i) => claim(store, `first-${i}`, key)));
		expect(first.map(verdict)).toEqual(keys.map(() => 'claimed'));
		await clock.run(first.filter(isClaim).map((held) => held.keep()));
		const again = await clock.run(keys.map((key, i) => claim(store, `again-${i}`, key)));
		expect(again.map(verdict)).toEqual(keys.map(() => 'duplicate'));
		for (const key of keys) expect(store.list).toContain(key);
	});
});

describe('Case 2: one key from two executions (a webhook delivered twice) beside an unrelated keyed order', () => {
	test('both lose their first write to the unrelated claim and retry together: exactly one claims the key', async () => {
		// A and B claim "hook-1", C claims "other"; all three read first, then A writes at
		// 10 ms, B at 15 ms, C at 23 ms: C's write erases both. Retries start together.
		start(1);
		const writes: Record<string, number> = { A: 10, B: 15, C: 23 };
		const store = new VirtualStore(clock, ({ who }: Call) => ({ read: 0, write: writes[who] }));
		Object.assign(timing, { random: () => 0 });
		const [a, b, c] = await clock.run([
			claim(store, 'A', 'hook-1'),
			claim(store, 'B', 'hook-1'),
			claim(store, 'C', 'other'),
		]);
		expect([a, b].map(verdict).sort()).toEqual(['claimed', 'duplicate']);
		expect(verdict(c)).toBe('claimed');
		expect(store.list.filter((value) => value === 'hook-1')).toHaveLength(1);
	});
});

describe('Case 3: a used key is never pushed out by its own duplicates', () => {
	test(`after one order and ${MAX_ENTRIES - 1} duplicate resends the store is no bigger, and the next resend is still a duplicate`, async () => {
		start(1);
		const store = new VirtualStore(clock, everyCall(1), MAX_ENTRIES);
		const [held] = await clock.run([claim(store, 'order', 'invoice-42')]);
		await clock.run([(held as Claim).keep()]);
		const size = store.list.length;
		for (let resend = 0; resend < MAX_ENTRIES - 1; resend++) {
			const [again] = await clock.run([claim(store, `resend-${resend}`, 'invoice-42')]);
			if (verdict(again) !== 'duplicate') throw new Error(`resend ${resend}: ${verdict(again)}`);
		}
		expect(store.list.length).toBe(size);
		const [last] = await clock.run([claim(store, 'last', 'invoice-42')]);
		expect(verdict(last)).toBe('duplicate');
	});
});

describe("Case 4: a store error never turns into a duplicate of the claim's own key", () => {
	test('the look after the wait fails once: the spare marker decides, the claim holds, the key orders once', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			index === 1 ? { read: 0, write: 5, fail: 'before' } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'invoice-7')]);
		expect(verdict(first)).toBe('claimed');
		const [second] = await clock.run([claim(store, 'B', 'invoice-7')]);
		expect(verdict(second)).toBe('duplicate');
	});

	test('the look after the wait fails after writing (its answer lost): the spare still decides', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			index === 1 ? { read: 0, write: 5, fail: 'after' } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'invoice-8')]);
		expect(verdict(first)).toBe('claimed');
	});

	test('the claim write fails before writing (SQLite "database is locked"): a healthy retry claims once', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			index === 0 ? { read: 0, write: 5, fail: 'before' } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'invoice-9')]);
		expect(verdict(first)).toBe('claimed');
		expect(store.list.filter((value) => value === 'invoice-9')).toHaveLength(1);
	});

	test('the claim write lands but its answer is lost: not sent, and the message says the key may still be held', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			index === 0 ? { read: 0, write: 5, fail: 'after' } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'invoice-10')]);
		expect(first).toMatchObject({ kind: 'not_sent', field: 'orderKey' });
		expect((first as Failure).message).toContain(
			'the order key may still be held: use a new key to order now',
		);
	});

	test('every call fails: not sent, never "duplicate"', async () => {
		start(1);
		const store = new VirtualStore(clock, () => ({ read: 0, write: 5, fail: 'before' }));
		const [first] = await clock.run([claim(store, 'A', 'invoice-11')]);
		expect(verdict(first)).toBe('not_sent');
	});
});

describe('Case 5: a refused order frees its key, even when its release races another claim', () => {
	test('a claim of another key reads before the release writes and writes after it: the release notices and is done again', async () => {
		start(1);
		let released = false;
		const store = new VirtualStore(clock, ({ who, kind }: Call) => {
			// C's claim write reads before A's removal lands and writes after it.
			if (who === 'C' && !released) return { read: 0, write: 40 };
			if (who === 'A' && kind === 'remove') return { read: 10, write: 20 };
			return { read: 0, write: 5 };
		});
		const [held] = await clock.run([claim(store, 'A', 'refused-1')]);
		expect(verdict(held)).toBe('claimed');
		// A's order was refused (a 429): it gives the key back while C claims "other".
		const [freed, c] = (await clock.run([
			(held as Claim).release(),
			claim(store, 'C', 'other'),
		])) as [boolean, Claim | Failure];
		released = true;
		expect(freed).toBe(true);
		expect(verdict(c as Claim)).toBe('claimed');
		expect(store.list).not.toContain('refused-1');
		const [again] = await clock.run([claim(store, 'A2', 'refused-1')]);
		expect(verdict(again)).toBe('claimed');
	});
});

describe('A call slower than the safe share of the settle time makes the claim untrusted', () => {
	test('a claim write that takes longer than slowMs: not sent, the store named too slow', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			index === 0 ? { read: 0, write: timing.slowMs + 1 } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'slow-1')]);
		expect(first).toMatchObject({ kind: 'not_sent' });
		expect((first as Failure).message).toContain('too slow to make the order key certain');
		expect((first as Failure).message).toContain('may still be held');
	});

	test('a slow look after the wait: not sent, and the key, not proven, is not given back', async () => {
		start(1);
		const store = new VirtualStore(clock, ({ index }: Call) =>
			// The write took 5 ms: the settle time is its minimum, a look may take half of it.
			index === 2 ? { read: 0, write: timing.settleMs / 2 + 1 } : { read: 0, write: 5 },
		);
		const [first] = await clock.run([claim(store, 'A', 'slow-2')]);
		expect((first as Failure).message).toContain('too slow');
		expect((first as Failure).message).toContain('may still be held');
		expect(store.list).toContain('slow-2');
	});
});

/**
 * `processes` executions' processes, each serializing its own calls as nodeKeyStore does; a
 * share of calls fail (before writing, or after, their answer lost).
 */
async function randomized(seed: number, processes: number, failures: number, rw: [number, number]) {
	start(seed);
	const random = seeded(seed * 7919);
	const latency = (): Latency => {
		const read = random() * 20;
		const write = read + rw[0] + random() * (rw[1] - rw[0]);
		const roll = random();
		const fail = roll < failures / 2 ? 'before' : roll < failures ? 'after' : undefined;
		return { read, write, fail };
	};
	const store = new VirtualStore(clock, latency);
	const holders = new Map<string, string>();
	let violations = 0;
	let claims = 0;
	const client = async (who: string, key: string, startAt: number) => {
		await clock.sleep(startAt);
		const result = await claim(store, who, key, `process-${Math.floor(random() * processes)}`);
		if (!isClaim(result)) return;
		claims++;
		if (holders.has(key)) violations++;
		holders.set(key, who);
		// A third of the orders are refused (nothing bought): the key is given back.
		if (random() < 1 / 3) {
			holders.delete(key);
			await result.release();
		} else await result.keep();
	};
	const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
	await clock.run(
		Array.from({ length: 150 }, (_, i) =>
			client(`c${i}`, keys[Math.floor(random() * keys.length)], random() * 20 * SETTLE),
		),
	);
	// Every key held at the end is in the store.
	for (const key of holders.keys()) expect(store.list).toContain(key);
	return { violations, claims };
}

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('A node keeps its latest entries only (n8n trims the oldest)', () => {
	test('entries pushed out behind a claim take its markers before its key: the claim is lost, never held without its key', async () => {
		start(1);
		// A list of 5 entries: the claim writes 5 (3 markers, a witness, the key); 2 other
		// values written after it push its 2 oldest out before its first look.
		const store = new VirtualStore(clock, () => ({ read: 0, write: 5 }), 5);
		const filler = async () => {
			await clock.sleep(100);
			await store.as('filler').record(['other-1', 'other-2']);
		};
		const later = async () => {
			await clock.sleep(60_000);
			return await claim(store, 'B', 'trimmed');
		};
		const [a, , b] = (await clock.run([
			claim(store, 'A', 'trimmed'),
			filler(),
			later(),
		])) as unknown[];
		const holders = [a, b].filter((result) => isClaim(result as Claim | Failure));
		expect(holders.length).toBeLessThanOrEqual(1);
	});
});

describe('The settle time follows the database', () => {
	test('after a claim write of 600 ms the looks come three times that, 1.8 s, apart; after one of 5 ms, the minimum of 1 s', async () => {
		start(1);
		const starts: Record<string, number[]> = {};
		const store = new VirtualStore(clock, ({ who }: Call) => {
			(starts[who] ??= []).push(clock.now);
			return who === 'slow' ? { read: 100, write: 600 } : { read: 0, write: 5 };
		});
		await clock.run([claim(store, 'slow', 'db-slow'), claim(store, 'fast', 'db-fast')]);
		const gaps = (who: string) => starts[who].slice(1, 3).map((at, i) => at - starts[who][i]);
		expect(gaps('slow')).toEqual([600 + 1800, 600 + 1800]);
		expect(gaps('fast')).toEqual([5 + 1000, 5 + 1000]);
	});
});

describe('Randomized, one process (regular mode): 150 claims of 12 keys, every call writing within the safe share of its read, 3 % of store calls failing, a third of the keys given back', () => {
	test.each(SEEDS)('seed %i: never two holders of one key at a time', async (seed) => {
		const { violations, claims } = await randomized(seed, 1, 0.03, [0, 475]);
		expect(violations).toBe(0);
		expect(claims).toBeGreaterThan(0);
	});
});

describe('Randomized, three processes (main and two workers), the same claims, every call writing 140 to 220 ms after its read (PostgreSQL at 150 ms per query)', () => {
	test.each(SEEDS)('seed %i: never two holders of one key at a time', async (seed) => {
		const { violations, claims } = await randomized(seed, 3, 0, [140, 220]);
		expect(violations).toBe(0);
		expect(claims).toBeGreaterThan(0);
	});
});
