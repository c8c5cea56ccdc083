'use strict';
// Issue 9, items 2 and 5, in n8n 2.41.1 itself. What this proves that jest cannot: n8n's
// own HTTP stack (httpRequestWithAuthentication as the CLI wires it) does not follow a 303
// or a 307 behind the node's back, so the key never reaches the redirect's target; n8n's
// Retry On Fail never re-sends an order answered with 303; and the message that n8n stores
// and prints for a failed execution (what the executions list, error workflows and alerts
// show) says that the order may have been placed.
const http = require('node:http');
const { assert, escape, expectFailure } = require('../lib/expect');
const { ORDER_NODE, orderWorkflow } = require('../../lab/fixtures');

const MAY_EXIST =
	': the order may have been placed; check the StatProxies dashboard before ordering again';

function threeItems(id, settings) {
	return orderWorkflow(id, {
		items: ['redira', 'redirb', 'redirc'].map((customer) => ({ customer })),
		parameters: {
			quantity: 1,
			productType: 'x1',
			additionalFields: { customer: '={{ $json.customer }}' },
			options: { timeout: 1000 },
		},
		settings,
	});
}

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };

/** A second listener on 127.0.0.1 that records whatever reaches it. */
async function startListener() {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			requests.push({ method: req.method, url: req.url, headers: req.headers });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"response":"success","order_id":"sub_elsewhere","subscription_id":"sub_X"}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

function customers(sandbox) {
	return sandbox.orderRequests.map((r) => r.json.customer);
}

module.exports = function redirects(t, ctx) {
	const { sandbox } = ctx;
	const retried = ctx.workflow(threeItems('e2eRedirectRetry', RETRY));
	const once = ctx.workflow(threeItems('e2eUnknownMessage', {}));

	t.test(
		'redirects: 303 after the order at the 2nd item, Retry On Fail: bought once, never re-sent, unknown message',
		async () => {
			await ctx.stopServer();
			sandbox.setFault('303-after-order', { nth: 2, times: 1 });
			const result = await ctx.execute(retried);
			expectFailure(result, {
				message: new RegExp(
					`^StatProxies answered HTTP 303 See Other, its usual answer to an order it has processed${escape(MAY_EXIST)} \\[item 1\\]$`,
				),
				node: ORDER_NODE,
			});
			assert.deepEqual(customers(sandbox), ['redira', 'redirb']);
			assert.equal(sandbox.orders.length, 2, 'a and b bought once each; c never sent');
			// Not followed: nothing asked for the Location (the sandbox's /__sandbox/redirected).
			assert.deepEqual(
				sandbox.requests.map((r) => r.path).filter((p) => p !== '/api/v2/order/newscale'),
				[],
			);
		},
	);

	t.test(
		'redirects: 307 to another listener, every try: refused, nothing bought, the listener got nothing',
		async () => {
			await ctx.stopServer();
			const elsewhere = await startListener();
			try {
				sandbox.setFault('307', {
					nth: 1,
					times: 3,
					location: `${elsewhere.url}/api/v2/order/newscale`,
				});
				const result = await ctx.execute(retried);
				expectFailure(result, {
					message:
						/^StatProxies asked for the order to be sent to another address \(HTTP 307\); the node does not follow redirects, so nothing was bought \[item 0\]$/,
					node: ORDER_NODE,
				});
				assert.equal(result.error.httpCode, '307');
				// Refused means nothing bought: Retry On Fail may send item 0 again, to the base URL.
				assert.deepEqual(customers(sandbox), ['redira', 'redira', 'redira']);
				assert.equal(sandbox.orders.length, 0);
				assert.deepEqual(elsewhere.requests, [], 'the redirect target received a request');
			} finally {
				await elsewhere.close();
			}
		},
	);

	// Issue 9, item 5: the message alone must say that the order may exist.
	const unknowns = [
		{
			fault: '500',
			message: `^StatProxies failed with HTTP 500 while placing the order \\(got: .*\\)${escape(MAY_EXIST)} \\[item 1\\]$`,
		},
		{
			fault: 'hang',
			message: `^StatProxies did not answer within the timeout while placing the order${escape(MAY_EXIST)} \\[item 1\\]$`,
		},
	];
	for (const { fault, message } of unknowns) {
		t.test(
			`unknown outcome message in n8n: ${fault} at the 2nd item reads "...${MAY_EXIST.slice(0, 40)}..."`,
			async () => {
				await ctx.stopServer();
				sandbox.setFault(fault, { nth: 2, times: 1 });
				const result = await ctx.execute(once);
				const error = expectFailure(result, { message: new RegExp(message), node: ORDER_NODE });
				assert.match(error.description, /may or may not have been placed/);
				assert.deepEqual(customers(sandbox), ['redira', 'redirb']);
			},
		);
	}
};
