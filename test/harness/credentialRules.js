'use strict';
// n8n's credential tester from the moment its routing node runs the test request, copied
// line for line from `runRequestTest` in packages/cli's credentials-tester.service.js
// (n8n 2.41.1; 1.123.81 has the same lines), without its logging:
// - the request threw and its error keeps the answer (`error.cause.response`): the first
//   `responseCode` rule for that status, else the status text; n8n-workflow 1.120 (n8n 1.x)
//   drops an error's cause, so there n8n falls through to the error's own message;
// - the request threw with a network code (`error.cause.code`): the code (ENOTFOUND ...);
// - the request answered: each `responseSuccessBody` rule in order, lodash's get on
//   `response[0][0].json`. n8n reads that item without a check: when the routing node made no
//   item (a JSON array answer with no element), this throws a TypeError out of the tester,
//   and the dialog shows 500 "Cannot read properties of undefined (reading 'json')".
// Plain JS so that lodash comes in untyped, as n8n uses it.
const get = require('lodash/get');

/**
 * @param {() => Promise<any>} runNode the routing node's run (its items, as n8n reads them)
 * @param {{ rules?: Array<{ type: string, properties: { key?: string, value: unknown, message: string } }> }} testRequest
 */
async function runCredentialTest(runNode, testRequest) {
	let response;
	try {
		response = await runNode();
	} catch (error) {
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			if (testRequest.rules) {
				for (const rule of testRequest.rules) {
					if (rule.type === 'responseCode') {
						if (errorResponseData.statusCode === rule.properties.value) {
							return { status: 'Error', message: rule.properties.message };
						}
					}
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	}
	if (testRequest.rules && Array.isArray(testRequest.rules)) {
		for (const rule of testRequest.rules) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response[0][0].json;
				if (get(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

module.exports = { runCredentialTest };
