'use strict';
// n8n's "Retry On Fail" runs the whole node again, every item included. A fault in the
// middle of a run must not make any item buy twice.
// Beside test/retry.test.ts (every fault, 5 tries, continue-on-fail): only here does n8n's
// CLI drive the retries (waitBetweenTries, its own process and timers) over real sockets.
const { assert, expectFailure, expectSuccess, ordersPerCustomer } = require('../lib/expect');
const { ORDER_NODE, retryWorkflow } = require('../../lab/fixtures');

const CUSTOMERS = ['retrya', 'retryb', 'retryc'];

module.exports = function retry(t, ctx) {
	const { sandbox } = ctx;
	const workflows = {
		refused: ctx.workflow(retryWorkflow('e2eRetryAfter429', { customers: CUSTOMERS })),
		failed: ctx.workflow(retryWorkflow('e2eRetryAfter500', { customers: CUSTOMERS })),
		lost: ctx.workflow(retryWorkflow('e2eRetryAfterReset', { customers: CUSTOMERS })),
		hung: ctx.workflow(retryWorkflow('e2eRetryAfterHang', { customers: CUSTOMERS })),
	};

	t.test(
		'Retry On Fail, 429 on the 2nd order: retried to success, each item bought once',
		async () => {
			sandbox.setFault('429', { nth: 2, times: 1 });
			const result = await ctx.execute(workflows.refused);
			expectSuccess(result);
			assert.deepEqual(ordersPerCustomer(sandbox), { retrya: 1, retryb: 1, retryc: 1 });
			// First try: a, b (429: refused, nothing bought). Second: a replayed, b and c sent.
			assert.deepEqual(
				sandbox.orderRequests.map((r) => r.json.customer),
				['retrya', 'retryb', 'retryb', 'retryc'],
			);
			assert.deepEqual(
				result.nodeOutput(ORDER_NODE).map((i) => i.json.order_id),
				CUSTOMERS.map((c) => sandbox.orders.find((o) => o.customer === c).order_id),
			);
		},
	);

	// A 500, a lost answer and no answer in time all leave the 2nd order's fate unknown:
	// retries replay the 1st, never re-send the 2nd, and so never reach the 3rd.
	const unknownOutcomes = [
		{ fault: '500', workflow: workflows.failed, sold: { retrya: 1 } },
		{ fault: 'reset-after-body', workflow: workflows.lost, sold: { retrya: 1, retryb: 1 } },
		{ fault: 'hang', workflow: workflows.hung, sold: { retrya: 1, retryb: 1 } },
	];
	for (const { fault, workflow, sold } of unknownOutcomes) {
		t.test(
			`Retry On Fail, ${fault} on the 2nd order: fails naming the item, never re-sent`,
			async () => {
				sandbox.setFault(fault, { nth: 2, times: 1 });
				const result = await ctx.execute(workflow);
				expectFailure(result, { message: /StatProxies.*\[item 1\]$/, node: ORDER_NODE });
				assert.match(result.error.description, /may or may not have been placed/);
				assert.deepEqual(ordersPerCustomer(sandbox), sold);
				assert.deepEqual(
					sandbox.orderRequests.map((r) => r.json.customer),
					['retrya', 'retryb'],
				);
			},
		);
	}
};
