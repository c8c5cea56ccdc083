import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { SAFE_BASE_URL } from '../nodes/shared/baseUrl';

// Evaluated by n8n wherever this credential is used (this node, the credential test, the HTTP
// Request node): the key is attached only when the base URL is https or a loopback sandbox.
const BASE_URL_IS_SAFE = `${SAFE_BASE_URL}.test(String($credentials.baseUrl).trim())`;

const NOT_THE_API =
	'The Base URL did not answer like the StatProxies API (a web page or an empty answer came back). Check the Base URL.';

export class StatProxiesApi implements ICredentialType {
	name = 'statProxiesApi';

	displayName = 'StatProxies API';

	icon = {
		light: 'file:statProxies.svg',
		dark: 'file:statProxies.dark.svg',
	} as const;

	// No #fragment: n8n appends its tracking query after it, and the page would not jump there.
	documentationUrl = 'https://github.com/statproxies/n8n-nodes-statproxies/blob/main/README.md';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. sk_live_...',
			description:
				'A StatProxies API key with the "order" service. Orders made with an organization key are billed to the organization.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://dashboard.statproxies.com',
			description:
				'Change only for a company gateway (https) or a local sandbox such as http://127.0.0.1:4010. Plain http to any other host is refused so that the key is never sent unencrypted.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: `={{ ${BASE_URL_IS_SAFE} ? "Bearer " + $credentials.apiKey : "" }}`,
			},
		},
	};

	// How n8n runs this test (its credential tester, the same in 1.x and 2.x): the request goes
	// through n8n's routing node, which turns a JSON list into one item per element, so the
	// empty list of a new account gives no item at all, and n8n then reads the first item's
	// JSON for any `responseSuccessBody` rule: a TypeError, and a good key fails the test. The
	// list's answer is not documented (an object, a list, an empty list), so the body is read as
	// text: whatever it holds, the routing node makes exactly one item, whose JSON is that text.
	// A status that is not 2xx makes the request throw, and n8n 2.x then applies the
	// `responseCode` rules below. n8n 1.x drops that error's cause (n8n-workflow 1.120), so it
	// shows its own text for the status instead; the test fails there all the same.
	test: ICredentialTestRequest = {
		request: {
			// An unsafe base URL is replaced by a name that can never resolve (RFC 2606), and its
			// text tells the user why the test failed.
			baseURL: `={{ ${BASE_URL_IS_SAFE} ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : "https://base-url-must-use-https.invalid" }}`,
			url: '/api/v2/order/list',
			method: 'GET',
			// The answer stays the text it came as (axios' responseType "text"): never parsed, so
			// a JSON list is never split into items, and an empty one never leaves none.
			encoding: 'text',
			// A redirect would carry the key to an address the user never entered.
			disableFollowRedirect: true,
		},
		// n8n reads these rules in order; the first that matches decides. n8n-workflow types
		// `rules` as all of one kind, but its tester reads each rule by its own `type`.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Invalid API key: StatProxies refused it (HTTP 401, invalid_api_key). Check that the key is complete and not revoked or expired.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This key lacks the "order" service (HTTP 403, insufficient_permissions), or a gateway before StatProxies refused the request. Enable the service for the key in the StatProxies dashboard.',
				},
			},
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answered with a redirect (HTTP ${status}), which the test does not follow so that the key goes nowhere else. Enter the address StatProxies is served from.`,
				},
			})),
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL has no /api/v2/order/list (HTTP 404): it does not serve the StatProxies API. Check the Base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'StatProxies is limiting requests (HTTP 429), so the key could not be checked. Test again in a minute.',
				},
			},
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `StatProxies, or a gateway before it, failed to answer (HTTP ${status}), so the key could not be checked. Test again later, and check the Base URL if it persists.`,
				},
			})),
			// A 2xx answer: these rules read its text with lodash's get, so a key is a character's
			// index, or `length`. In JSON "<" can sit among the first eight characters only inside
			// a string opened before it, which no list answer starts with; a web page starts with
			// it, or after a few blank lines (as templates often begin): up to seven blank
			// characters are caught. Given up: a 2xx JSON answer that carries an `error` passes.
			// Telling {"error": ...} from {"entries": ...} takes two characters at once, each rule
			// compares one, and a parsed body (which could be read by key) is what breaks on [].
			...[0, 1, 2, 3, 4, 5, 6, 7].map((index) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: String(index),
					value: '<',
					message: NOT_THE_API,
				},
			})),
			// An empty answer (a 204, a 200 without a body) is not the API either.
			{
				type: 'responseSuccessBody',
				properties: { key: 'length', value: 0, message: NOT_THE_API },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as
			| IAuthenticateRuleResponseCode[]
			| IAuthenticateRuleResponseSuccessBody[],
	};
}
