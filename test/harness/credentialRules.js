'use strict';
// How n8n's credential tester reads `responseSuccessBody` rules once the test request has
// answered (the same in n8n 1.123 and 2.41): in order, with lodash's get on the first item's
// JSON. Plain JS so that lodash comes in untyped, as n8n uses it.
const get = require('lodash/get');

function judgeBody(response, rules) {
	for (const rule of rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const json = response[0][0].json;
		if (get(json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

module.exports = { judgeBody };
