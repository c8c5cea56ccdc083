import {
	boughtCustomers,
	CONTINUE,
	customerItems,
	errorOf,
	expectNoSecret,
	ORDER_PER_CUSTOMER,
	sandboxCredential,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow } from './harness/n8n';

const sandbox = useSandbox();

const NOT_ORDERED = "Not ordered: this execution is a retry of a failed one (n8n's Retry button)";

describe("n8n's Retry button does not buy again what the failed execution bought", () => {
	test('a failed execution, then its retry: each item is bought once, and the retry says why it stopped', async () => {
		sandbox.setFault('429', { nth: 3 });
		const failed = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
		});
		expect(failed.error?.message).toContain('[item 2]');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);

		const retried = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
			mode: 'retry',
		});

		expect(retried.error?.message).toBe(`${NOT_ORDERED} [item 0]`);
		expect(retried.error?.description).toContain('Order In Retried Executions');
		expect(retried.error?.description).toContain('Nothing was sent to StatProxies.');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
		expectNoSecret(retried, sandbox.keys.full);
	});

	test('with Continue On Fail, every item of a retry becomes a not_sent error item, paired', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			settings: CONTINUE,
			mode: 'retry',
		});

		expect(sandbox.requests).toEqual([]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.output.map((item) => errorOf(item).outcome)).toEqual(['not_sent', 'not_sent']);
		expect(result.output.map((item) => errorOf(item).field)).toEqual([
			'orderInRetries',
			'orderInRetries',
		]);
	});

	test('Options > Order In Retried Executions lets a retry order', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, options: { orderInRetries: true } },
			items: customerItems(2),
			mode: 'retry',
		});

		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
		expect(result.output.map((item) => item.json.customer)).toEqual(['itema', 'itemb']);
	});

	test('a dry run is allowed in a retry: it sends nothing', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, options: { dryRun: true } },
			items: customerItems(2),
			mode: 'retry',
		});

		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.dry_run)).toEqual([true, true]);
		expect(sandbox.requests).toEqual([]);
	});

	test('the guard is about retries only: manual, trigger and webhook executions order', async () => {
		for (const mode of ['manual', 'trigger', 'webhook'] as const) {
			sandbox.reset();
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(1),
				mode,
			});
			expect(result.error).toBeUndefined();
			expect(boughtCustomers(sandbox)).toEqual(['itema']);
		}
	});

	test('a sub-workflow started by a retried execution (mode "integrated", root mode "retry") orders nothing', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			mode: 'integrated',
			rootMode: 'retry',
		});

		expect(result.error?.message).toBe(
			"Not ordered: this runs in a sub-workflow of an execution that n8n's Retry button started [item 0]",
		);
		expect(result.error?.description).toContain('Order In Retried Executions');
		expect(sandbox.requests).toEqual([]);
	});

	test('a sub-workflow of an ordinary execution orders', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			mode: 'integrated',
			rootMode: 'webhook',
		});

		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema']);
	});
});
