'use strict';
// Issue 9, item 1: Retry On Fail with parameters that evaluate differently on every try
// (Math.random() in Quantity). What this proves that jest cannot: in n8n 2.41.1's own
// WorkflowExecute, with its real retry loop, expression engine (the isolated VM) and
// execution ids, an item placed or left unknown by an earlier try is never sent again even
// though its request changed; a placed one is replayed with a `note`.
const { assert, expectFailure, expectSuccess, ordersPerCustomer } = require('../lib/expect');
const { ORDER_NODE, retryWorkflow } = require('../../lab/fixtures');

const CUSTOMERS = ['randoma', 'randomb', 'randomc'];
// Below the default Max Quantity of 100, so that every try is valid.
const RANDOM_QUANTITY = '={{ 1 + Math.floor(Math.random() * 90) }}';
const NOTE =
	/^An earlier try of this run ordered this item as (\d+) × x1 for ([a-z]+); its parameters changed since \(now (\d+) × x1 for \2\), and it was not ordered again\.$/;

module.exports = function retryChangedParameters(t, ctx) {
	const { sandbox } = ctx;
	const refusedId = ctx.workflow(
		retryWorkflow('e2eRandomQty429', { customers: CUSTOMERS, quantity: RANDOM_QUANTITY }),
	);
	const lostId = ctx.workflow(
		retryWorkflow('e2eRandomQtyReset', { customers: CUSTOMERS, quantity: RANDOM_QUANTITY }),
	);

	t.test(
		'retry, changed parameters: random quantity, 429 at item 2: each customer bought once, replays carry a note',
		async () => {
			await ctx.stopServer();
			sandbox.setFault('429', { nth: 3, times: 1 });
			const result = await ctx.execute(refusedId);
			expectSuccess(result);
			assert.deepEqual(ordersPerCustomer(sandbox), { randoma: 1, randomb: 1, randomc: 1 });
			// First try: a, b placed, c refused (429). Second try: a and b replayed, c sent again.
			assert.deepEqual(
				sandbox.orderRequests.map((r) => r.json.customer),
				['randoma', 'randomb', 'randomc', 'randomc'],
			);
			const output = result.nodeOutput(ORDER_NODE).map((i) => i.json);
			const sold = (customer) => sandbox.orders.find((o) => o.customer === customer);
			assert.deepEqual(
				output.map((j) => [j.order_id, j.quantity]),
				CUSTOMERS.map((c) => [sold(c).order_id, sold(c).quantity]),
				'every output item is the order the sandbox sold, with the quantity it sold',
			);
			// Items 0 and 1 come from the first try. Each re-evaluated its random quantity, so
			// each carries a note unless its new draw equals the old one (1 chance in 90 each).
			const notes = output.slice(0, 2).filter((j) => j.note !== undefined);
			assert.ok(notes.length >= 1, `no replayed item has a note: ${JSON.stringify(output)}`);
			for (const json of notes) {
				const match = NOTE.exec(json.note);
				assert.ok(match, `note: ${json.note}`);
				assert.equal(Number(match[1]), json.quantity, 'the note names the quantity bought');
				assert.equal(match[2], json.customer);
				assert.notEqual(match[3], match[1], 'a note only when the parameters changed');
			}
			assert.equal(output[2].note, undefined, 'item 2 was ordered on this try: no note');
		},
	);

	t.test(
		'retry, changed parameters: random quantity, lost answer at item 1: item 1 never sent again',
		async () => {
			await ctx.stopServer();
			sandbox.setFault('reset-after-body', { nth: 2, times: 1 });
			const result = await ctx.execute(lostId);
			expectFailure(result, {
				message:
					/^The connection to StatProxies failed while placing the order \(.*\): the order may have been placed; check the StatProxies dashboard before ordering again \[item 1\]$/,
				node: ORDER_NODE,
			});
			// The sandbox sold item 1 and lost the answer: three tries, yet only two requests.
			assert.deepEqual(
				sandbox.orderRequests.map((r) => r.json.customer),
				['randoma', 'randomb'],
			);
			assert.deepEqual(ordersPerCustomer(sandbox), { randoma: 1, randomb: 1 });
			assert.equal(result.nodeRuns(ORDER_NODE).length, 1, 'one run: its tries are inside it');
			assert.match(result.error.description, /An earlier try of this run already sent this order/);
			assert.match(
				result.error.description,
				new RegExp(`already ordered item 0 \\(${sandbox.orders[0].order_id}\\)`),
			);
		},
	);
};
