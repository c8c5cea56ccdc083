'use strict';
// Assertions on what `n8n execute` returned, with n8n's own output in the failure message,
// since that is what one needs to see when a case fails in CI.
const assert = require('node:assert/strict');

function outputTail(result, lines = 30) {
	return result.output.trim().split('\n').slice(-lines).join('\n');
}

function expectSuccess(result) {
	if (!result.ok) {
		assert.fail(
			`expected a successful execution, got exit ${result.code}: ${result.lastLine}\n${outputTail(result)}`,
		);
	}
}

/**
 * A failed execution whose error (as n8n stored and printed it) matches.
 * @param {{ message: RegExp, name?: string, httpCode?: string, node?: string }} expected
 */
function expectFailure(result, expected) {
	if (result.ok || result.code === 0 || !result.error) {
		assert.fail(`expected a failed execution, got exit ${result.code}\n${outputTail(result)}`);
	}
	const { error } = result;
	assert.match(error.message, expected.message, `error message: ${JSON.stringify(error.message)}`);
	// What the CLI prints after the run is what a user reads.
	assert.ok(
		result.afterRun.some((line) => expected.message.test(line)),
		`the CLI output after the run does not show the message:\n${result.afterRun.slice(0, 5).join('\n')}`,
	);
	if (expected.name) assert.equal(error.name, expected.name, 'error class');
	if (expected.httpCode) assert.equal(String(error.httpCode), expected.httpCode, 'httpCode');
	if (expected.node) assert.equal(error.node && error.node.name, expected.node, 'failing node');
	return error;
}

/** How many orders the sandbox sold to each customer. */
function ordersPerCustomer(sandbox) {
	const counts = {};
	for (const order of sandbox.orders) counts[order.customer] = (counts[order.customer] || 0) + 1;
	return counts;
}

/** `text` as it reads inside a RegExp: messages are matched whole, with their punctuation. */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = { assert, escape, expectSuccess, expectFailure, ordersPerCustomer };
