'use strict';
// Promise: Retry On Fail never buys an item twice, on a worker as in one process. The jest
// suite (test/retry.test.ts) proves it in n8n-core alone; this runs its cases in a real
// queue-mode worker, where the retry memory lives in a process the main does not share.
const assert = require('node:assert/strict');
const cluster = require('../cluster');
const wf = require('../workflows');
const calls = require('../calls');

const RETRY_ITEMS = 5;
const NOT_SENT_AGAIN =
	'An earlier try of this run already sent this order and could not tell whether it was placed, so it was not sent again.';

/**
 * One call with 5 items to the Retry On Fail workflow, faults set on the sandbox's Create
 * Order requests (1-based, counted from now). `sent` and `bought` are item indexes in the
 * order StatProxies saw them.
 */
async function scenario(ctx, { title, prefix, faults }) {
	const tags = calls.range(RETRY_ITEMS).map((i) => wf.tag(prefix, i));
	const before = await cluster.lastExecutionId(ctx);
	ctx.sandbox.setFault(null);
	for (const [fault, nth] of faults) ctx.sandbox.setFault(fault, { nth, times: 1 });
	const [answer] = await calls.fire(calls.webhookUrl(ctx, wf.RETRY), [
		{ items: tags.map((customer) => ({ customer })) },
	]);
	const { done, executions } = await cluster.waitForExecutions(ctx, {
		workflowId: wf.RETRY.id,
		afterId: before,
		expected: 1,
		timeoutMs: 2 * calls.MINUTE,
	});
	ctx.sandbox.setFault(null);
	const [execution] = executions;
	const seen = cluster.executionsByProcess(ctx.processes);
	const runners = execution ? cluster.runnersOf(seen, execution.id) : [];
	const index = (customer) => tags.indexOf(customer);
	const orders = calls.ordersFor(ctx, prefix);
	const result = {
		title,
		executionId: execution?.id,
		prefix,
		tags,
		status: execution?.status,
		worker: runners.join('+'),
		sent: calls.requestsFor(ctx, prefix).map((r) => index(r.json.customer)),
		bought: orders.map((o) => index(o.customer)),
	};
	(ctx.measured.retryOnFail ??= []).push(result);
	return { ...result, answer, done, execution, runners, orders };
}

const CASES = [
	{
		title:
			'a refusal (429) once at item 2 of 5: item 2 is sent again, every item bought exactly once',
		prefix: 'qr',
		faults: [['429', 3]],
		expect: { status: 'success', sent: [0, 1, 2, 2, 3, 4], bought: [0, 1, 2, 3, 4] },
	},
	{
		title:
			'an unknown outcome (malformed-json, order sold) at item 2 of 5: never sent again, items 0-2 bought once, the error names the orders of items 0 and 1',
		prefix: 'qs',
		faults: [['malformed-json', 3]],
		expect: { status: 'error', sent: [0, 1, 2], bought: [0, 1, 2], boughtBefore: [0, 1] },
	},
	{
		title: 'refused on the first try, unknown on the second: item 2 is not sent a third time',
		prefix: 'qt',
		faults: [
			['429', 3],
			['malformed-json', 4],
		],
		expect: { status: 'error', sent: [0, 1, 2, 2], bought: [0, 1, 2], boughtBefore: [0, 1] },
	},
];

module.exports = function retryOnFailOnAWorker(t, ctx) {
	for (const spec of CASES) {
		t.test(`Retry On Fail on a worker, ${spec.title}`, async () => {
			const run = await scenario(ctx, spec);
			const { expect, title } = spec;
			const detail = `status ${run.status}, on ${run.worker || 'nothing'}, sent items [${run.sent}], bought items [${run.bought}]`;
			ctx.log(`${title.slice(0, 40)}...: ${detail}`);
			assert.ok(run.answer.status === 200 && run.done && run.execution, detail);
			assert.equal(run.status, expect.status, detail);
			assert.ok(run.runners.length === 1 && run.runners[0].startsWith('worker'), detail);
			assert.deepEqual(run.sent, expect.sent, detail);
			assert.deepEqual(run.bought, expect.bought, detail);
			const description = String(run.execution.error?.description);
			if (expect.status === 'error') {
				assert.ok(description.includes(NOT_SENT_AGAIN), description);
				// n8n drops a stopped node's output: its error must name the orders already bought.
				for (const i of expect.boughtBefore) {
					for (const o of run.orders.filter((order) => order.customer === run.tags[i])) {
						assert.ok(description.includes(o.order_id), `${o.order_id} not named: ${description}`);
					}
				}
			} else {
				const soldIds = new Set(run.orders.map((o) => o.order_id));
				assert.equal(run.execution.orders.length, RETRY_ITEMS);
				assert.ok(run.execution.orders.every((o) => soldIds.has(o.order_id)));
			}
		});
	}
};
