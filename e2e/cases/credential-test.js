'use strict';
// The credential test as n8n's credential dialog runs it (POST /rest/credentials/test on a
// running n8n): it must pass a good key whatever the order list answers, fail a bad one, and
// never buy anything. Beside test/credential.test.ts (the request and rules through n8n-core
// 2.41.1): only n8n's own credential tester decides which rule fires and what text the dialog
// shows, and that differs between n8n majors (1.x loses the status of a failed request).
const { testCredential } = require('../../lab/n8n');
const { SANDBOX_CREDENTIAL, statProxiesCredential } = require('../../lab/fixtures');
const { assert } = require('../lib/expect');

const NOT_THE_API =
	'The Base URL did not answer like the StatProxies API (a web page or an empty answer came back). Check the Base URL.';

// What the dialog says for an answer that is not 2xx, per n8n major: 2.x applies the
// credential's status rules; 1.x drops the failed request's cause, so it shows n8n's own text
// for the status, or axios' for a redirect (measured on 1.123.81).
const serverFailed = (status) =>
	`StatProxies, or a gateway before it, failed to answer (HTTP ${status}), so the key could not be checked. Test again later, and check the Base URL if it persists.`;
const redirected = (status) => ({
	2: `The Base URL answered with a redirect (HTTP ${status}), which the test does not follow so that the key goes nowhere else. Enter the address StatProxies is served from.`,
	1: `Request failed with status code ${status}`,
});
const SAYS = {
	401: {
		2: 'Invalid API key: StatProxies refused it (HTTP 401, invalid_api_key). Check that the key is complete and not revoked or expired.',
		1: 'Authorization failed - please check your credentials',
	},
	403: {
		2: 'This key lacks the "order" service (HTTP 403, insufficient_permissions), or a gateway before StatProxies refused the request. Enable the service for the key in the StatProxies dashboard.',
		1: 'Forbidden - perhaps check your credentials?',
	},
	404: {
		2: 'The Base URL has no /api/v2/order/list (HTTP 404): it does not serve the StatProxies API. Check the Base URL.',
		1: 'The resource you are requesting could not be found',
	},
	429: {
		2: 'StatProxies is limiting requests (HTTP 429), so the key could not be checked. Test again in a minute.',
		1: 'The service is receiving too many requests from you',
	},
	500: { 2: serverFailed(500), 1: 'The service was not able to process your request' },
	'502-html': {
		2: serverFailed(502),
		1: 'Bad gateway - the service failed to handle your request',
	},
	503: {
		2: serverFailed(503),
		1: 'Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)',
	},
	200: { 2: NOT_THE_API, 1: NOT_THE_API },
	// A status without a rule: its status text on 2.x.
	'400-missing': { 2: 'Bad Request', 1: 'Bad request - please check your parameters' },
};

module.exports = function credentialTest(t, ctx) {
	const { sandbox } = ctx;
	const major = ctx.n8n.major;
	const asEdited = (apiKey) =>
		statProxiesCredential(SANDBOX_CREDENTIAL, { apiKey, baseUrl: sandbox.url });
	const test = async (apiKey) => {
		const { rest } = await ctx.server();
		const answer = await testCredential(rest, asEdited(apiKey));
		// The exact text each version shows, in the run's log.
		console.log(`       n8n ${ctx.n8n.version} said: ${JSON.stringify(answer)}`);
		return answer;
	};
	const listRequests = (apiKey) => {
		for (const request of sandbox.requests) {
			assert.equal(`${request.method} ${request.path}`, 'GET /api/v2/order/list');
			assert.equal(request.headers.authorization, `Bearer ${apiKey}`);
		}
		assert.equal(sandbox.orderRequests.length, 0);
		return sandbox.requests.length;
	};

	// The list's answer is not documented: an object, a list, the empty list of a new account.
	for (const shape of ['object', 'list', 'empty']) {
		t.test(
			`credential test by n8n: a good key passes, the order list answering ${shape}`,
			async () => {
				sandbox.setListShape(shape);
				const answer = await test(sandbox.keys.full);
				assert.deepEqual(answer, { status: 'OK', message: 'Connection successful!' });
				assert.equal(listRequests(sandbox.keys.full), 1, 'requests sent');
			},
		);
	}

	t.test('credential test by n8n: a wrong key fails with the invalid-key message', async () => {
		const key = 'sk_test_e2e_wrong_key_0123456789';
		const answer = await test(key);
		assert.deepEqual(answer, { status: 'Error', message: SAYS[401][major] });
		// n8n re-sends a request answered 401 once (the same read-only GET, the same key).
		assert.equal(listRequests(key), 2, 'requests sent');
	});

	t.test(
		'credential test by n8n: a key without the order service fails with its own message',
		async () => {
			const answer = await test(sandbox.keys.noOrder);
			assert.deepEqual(answer, { status: 'Error', message: SAYS[403][major] });
			assert.equal(listRequests(sandbox.keys.noOrder), 1, 'requests sent');
		},
	);

	// A good key, but the Base URL answers something else than the API, to every key.
	for (const [answered, fault, says] of [
		['a web page (200)', '200-html', SAYS[200]],
		['a web page after blank lines (200)', '200-html-indented', SAYS[200]],
		['an empty 200', '200-empty', SAYS[200]],
		['404 with a JSON error', '404', SAYS[404]],
		['429 with a JSON error', '429', SAYS[429]],
		['500 with a JSON error', '500', SAYS[500]],
		['an HTML page (502)', '502-html', SAYS['502-html']],
		['503 with a JSON error', '503', SAYS[503]],
		['400, a status without a rule', '400-missing', SAYS['400-missing']],
	]) {
		t.test(`credential test by n8n: a Base URL that answers ${answered} fails`, async () => {
			sandbox.setListFault(fault);
			const answer = await test(sandbox.keys.full);
			assert.deepEqual(answer, { status: 'Error', message: says[major] });
			assert.equal(listRequests(sandbox.keys.full), 1, 'requests sent');
		});
	}

	for (const status of [301, 302, 303, 307, 308]) {
		t.test(
			`credential test by n8n: a ${status} redirect fails and is not followed (the key goes nowhere else)`,
			async () => {
				// If n8n followed it, the sandbox would record a second GET of the list.
				sandbox.setListFault(String(status), {
					location: `${sandbox.url}/api/v2/order/list?followed=1`,
				});
				const answer = await test(sandbox.keys.full);
				assert.deepEqual(answer, { status: 'Error', message: redirected(status)[major] });
				assert.equal(listRequests(sandbox.keys.full), 1, 'requests sent');
			},
		);
	}

	// The limit of reading a 2xx answer as text, stated in the README.
	t.test('credential test by n8n: a limit: a 200 whose JSON carries an error passes', async () => {
		sandbox.setListFault('200-error');
		const answer = await test(sandbox.keys.full);
		assert.deepEqual(answer, { status: 'OK', message: 'Connection successful!' });
	});
};
