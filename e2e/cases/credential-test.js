'use strict';
// The credential test as n8n's credential dialog runs it (POST /rest/credentials/test on a
// running n8n): it must tell a good key from a bad one, and never buy anything.
// Beside test/credential.test.ts (the request and rules in isolation): only n8n's own
// credential tester decides which rule fires and what text the dialog shows, and it differs
// between n8n versions.
const { testCredential } = require('../../lab/n8n');
const { SANDBOX_CREDENTIAL, statProxiesCredential } = require('../../lab/fixtures');
const { assert } = require('../lib/expect');

module.exports = function credentialTest(t, ctx) {
	const { sandbox } = ctx;
	const asEdited = (apiKey) =>
		statProxiesCredential(SANDBOX_CREDENTIAL, { apiKey, baseUrl: sandbox.url });

	t.test('credential test by n8n: a good key passes', async () => {
		const { rest } = await ctx.server();
		const answer = await testCredential(rest, asEdited(sandbox.keys.full));
		assert.equal(answer.status, 'OK', JSON.stringify(answer));
		assert.ok(sandbox.requests.length >= 1);
		for (const request of sandbox.requests) {
			assert.equal(`${request.method} ${request.path}`, 'GET /api/v2/order/list');
			assert.equal(request.headers.authorization, `Bearer ${sandbox.keys.full}`);
		}
	});

	t.test('credential test by n8n: a wrong key fails with the credential message', async () => {
		const { rest } = await ctx.server();
		const answer = await testCredential(rest, asEdited('sk_test_e2e_wrong_key_0123456789'));
		assert.equal(answer.status, 'Error');
		assert.match(answer.message, /^Invalid API key/);
		// n8n 1.x re-sent the GET after a 401 while the test relied on the status.
		assert.equal(sandbox.requests.length, 1, 'requests sent');
		assert.equal(sandbox.orderRequests.length, 0);
	});

	t.test(
		'credential test by n8n: a key without the order service fails with its own message',
		async () => {
			const { rest } = await ctx.server();
			const answer = await testCredential(rest, asEdited(sandbox.keys.noOrder));
			assert.equal(answer.status, 'Error');
			assert.match(answer.message, /lacks the "order" service/);
			assert.equal(sandbox.orderRequests.length, 0);
		},
	);

	// The answers a good key can still get: each is judged by its body on 1.x and 2.x alike.
	for (const [answered, fault, says] of [
		['an HTML page (502)', '502-html', /Check the Base URL/],
		['a JSON error (503)', '503', /^StatProxies answered with an error/],
	]) {
		t.test(`credential test by n8n: a Base URL that answers ${answered} fails`, async () => {
			const { rest } = await ctx.server();
			sandbox.setListFault(fault);
			const answer = await testCredential(rest, asEdited(sandbox.keys.full));
			assert.equal(answer.status, 'Error');
			assert.match(answer.message, says);
			assert.equal(sandbox.orderRequests.length, 0);
		});
	}
};
