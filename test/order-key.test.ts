import type { INodeParameters } from 'n8n-workflow';

import { deduplicationStore } from './harness/deduplication';
import { CONTINUE, customerItems, errorOf, sandboxCredential } from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow, type RunOptions } from './harness/n8n';

const sandbox = useSandbox();

beforeEach(() => deduplicationStore.reset());

/** How many values the node's list holds. */
const stored = () =>
	[...deduplicationStore.rows.values()].reduce((sum, row) => sum + row.length, 0);

function keyed(orderKey: string, options: INodeParameters = {}): INodeParameters {
	return { quantity: 1, productType: 'captcha', options: { orderKey, ...options } };
}

async function run(parameters: INodeParameters, extra: Partial<RunOptions> = {}) {
	return await runWorkflow({ credential: sandboxCredential(sandbox), parameters, ...extra });
}

describe('Order Key: at most one order per key', () => {
	test('the same key in a second execution sends nothing and says the key was used', async () => {
		const first = await run(keyed('invoice42'));
		const second = await run(keyed('invoice42'));

		expect(first.error).toBeUndefined();
		expect(second.error?.message).toBe(
			'Not ordered: order key "invoice42" was already used by an earlier execution [item 0]',
		);
		expect(second.error?.description).toContain('give this order another key');
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('with Continue On Fail the duplicate is an error item with outcome "duplicate", so a workflow can route it', async () => {
		await run(keyed('hook7'));
		const second = await run(keyed('hook7'), { settings: CONTINUE });
		expect(errorOf(second.output[0])).toMatchObject({ outcome: 'duplicate', field: 'orderKey' });
		expect(sandbox.orders).toHaveLength(1);
	});

	test('two items of one run with the same key: the second is a duplicate, decided before anything is sent', async () => {
		const result = await run(keyed('={{ $json.key }}'), {
			items: [{ key: 'same' }, { key: 'same' }],
			settings: CONTINUE,
		});
		expect(result.output[0].json.order_id).toBe(sandbox.orders[0].order_id);
		expect(errorOf(result.output[1])).toMatchObject({ outcome: 'duplicate' });
		expect(String(errorOf(result.output[1]).message)).toContain(
			'is used by an earlier item of this run',
		);
		expect(sandbox.orders).toHaveLength(1);
	});

	test.each(['429', '400-product'])(
		'a refused order (%s) gives its key back: fixing the cause and running again orders',
		async (fault) => {
			sandbox.setFault(fault, { nth: 1, times: 1 });
			const refused = await run(keyed('retry-me'));
			expect(refused.error?.message).toContain('[item 0]');
			const again = await run(keyed('retry-me'));
			expect(again.error).toBeUndefined();
			expect(sandbox.orders).toHaveLength(1);
		},
	);

	test('an unreachable StatProxies (not sent) gives the key back', async () => {
		await run(keyed('unsent'), {
			credential: { ...sandboxCredential(sandbox), baseUrl: 'http://127.0.0.1:1' },
		});
		const again = await run(keyed('unsent'));
		expect(again.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(1);
	});

	test('an unknown outcome keeps the key: the order may exist', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const lost = await run(keyed('maybe'));
		expect(lost.error?.message).toContain('may have been placed');
		const again = await run(keyed('maybe'));
		expect(again.error?.message).toContain('already used by an earlier execution');
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('a dry run records nothing', async () => {
		await run(keyed('rehearsal', { dryRun: true }));
		expect(deduplicationStore.rows.size).toBe(0);
		const real = await run(keyed('rehearsal'));
		expect(real.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(1);
	});

	test('without a key the store is never touched', async () => {
		await run({ quantity: 1, productType: 'captcha' });
		await run({ quantity: 1, productType: 'captcha' });
		expect(deduplicationStore.rows.size).toBe(0);
		expect(sandbox.orders).toHaveLength(2);
	});

	test('a store that keeps failing: the keyed order is not sent, never called a duplicate, and the message says the key may be held', async () => {
		deduplicationStore.failure = 'database is locked';
		const result = await run(keyed('nostore'));
		expect(result.error?.message).toBe(
			"Not ordered: the order key could not be confirmed in n8n's deduplication store (database is locked); the order key may still be held: use a new key to order now [item 0]",
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('one transient store error ("database is locked") before the claim wrote: the claim tries again and orders once', async () => {
		deduplicationStore.failures = 1;
		const first = await run(keyed('flaky'));
		expect(first.error).toBeUndefined();
		const again = await run(keyed('flaky'));
		expect(again.error?.message).toContain('already used by an earlier execution');
		expect(sandbox.orders).toHaveLength(1);
	});

	test('the look after the wait fails once: the spare marker decides, the key orders once and is never called a duplicate of itself', async () => {
		deduplicationStore.failCalls = new Set([2]);
		const first = await run(keyed('look-fails'));
		expect(first.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(1);
		const again = await run(keyed('look-fails'));
		expect(again.error?.message).toContain('already used by an earlier execution');
		expect(sandbox.orders).toHaveLength(1);
	});

	test('a store too slow for the bound (a call of 1.1 s, over the safe share): not sent, and the message says so', async () => {
		deduplicationStore.gapMs = 1100;
		const result = await run(keyed('slow'));
		expect(result.error?.message).toMatch(
			/^Not ordered: n8n's deduplication store took \d+ ms for one call, too slow to make the order key certain; the order key may still be held: use a new key to order now \[item 0\]$/,
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('after one order, 200 duplicate resends leave the store no bigger: a used key is never pushed out by its own duplicates', async () => {
		await run(keyed('invoice-1'));
		const size = stored();
		expect(size).toBe(1);
		for (let resend = 0; resend < 200; resend++) {
			const duplicate = await run(keyed('invoice-1'));
			expect(duplicate.error?.message).toContain('already used');
		}
		expect(stored()).toBe(size);
		expect(sandbox.orders).toHaveLength(1);
	});

	test('20 executions in one process, 20 distinct keys at once, the store taking 50 ms between read and write: 20 orders, no claim ever lost (the process takes the store in turns)', async () => {
		deduplicationStore.gapMs = 50;
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) => run(keyed(`invoice-${i}`))),
		);
		expect(results.filter((result) => result.error)).toEqual([]);
		expect(sandbox.orders).toHaveLength(20);
		// One claim write and two looks per execution: a lost claim would have tried again.
		expect(deduplicationStore.calls.record).toBe(20 * 3);
	});

	test('a run of 10 keyed items claims them together: one claim write and one round of looks for the run', async () => {
		const items = Array.from({ length: 10 }, (_, i) => ({ key: `batch-${i}` }));
		const result = await run(keyed('={{ $json.key }}'), { items });
		expect(result.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(10);
		expect(deduplicationStore.calls.record).toBe(3);
		expect(stored()).toBe(10);
	});

	test('a run that stops at item 1 gives the keys of the items after it back: running again orders them', async () => {
		sandbox.setFault('429', { nth: 2, times: 1 });
		const items = [{ key: 'stop-0' }, { key: 'stop-1' }, { key: 'stop-2' }];
		const stopped = await run(keyed('={{ $json.key }}'), { items });
		expect(stopped.error?.message).toContain('[item 1]');
		expect(sandbox.orders).toHaveLength(1);
		const again = await run(keyed('={{ $json.key }}'), { items: items.slice(1) });
		expect(again.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(3);
	});

	test('two executions claiming one key at the same moment, while the store takes 50 ms between read and write: one order', async () => {
		deduplicationStore.gapMs = 50;
		const results = await Promise.all([run(keyed('race')), run(keyed('race')), run(keyed('race'))]);
		expect(sandbox.orders).toHaveLength(1);
		expect(results.filter((result) => result.error === undefined)).toHaveLength(1);
		for (const result of results.filter((r) => r.error)) {
			expect(result.error?.message).toContain('order key "race" was already used');
		}
	});

	test('a key from an expression, per item: each distinct key orders once', async () => {
		const items = customerItems(3).map((item, index) => ({ ...item, key: `k${index % 2}` }));
		const result = await run(keyed('={{ $json.key }}'), { items, settings: CONTINUE });
		expect(result.output.map((item) => errorOf(item).outcome ?? 'ordered')).toEqual([
			'ordered',
			'ordered',
			'duplicate',
		]);
		expect(sandbox.orders).toHaveLength(2);
	});
});
