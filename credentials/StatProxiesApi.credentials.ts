import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { SAFE_BASE_URL } from '../nodes/shared/baseUrl';

// Evaluated by n8n wherever this credential is used (this node, the credential test, the HTTP
// Request node): the key is attached only when the base URL is https or a loopback sandbox.
const BASE_URL_IS_SAFE = `${SAFE_BASE_URL}.test(String($credentials.baseUrl).trim())`;

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

	// Every answer is judged by its body, not its status: n8n 1.x applies status rules only to an
	// error that keeps its cause, which n8n-workflow 1.120 wipes, so the two majors would show
	// different texts. n8n reads these rules in order; the first whose key has the value wins.
	test: ICredentialTestRequest = {
		request: {
			// An unsafe base URL is replaced by a name that can never resolve (RFC 2606), and its
			// text tells the user why the test failed.
			baseURL: `={{ ${BASE_URL_IS_SAFE} ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : "https://base-url-must-use-https.invalid" }}`,
			url: '/api/v2/order/list',
			method: 'GET',
			ignoreHttpStatusErrors: true,
			// A redirect would carry the key to an address the user never entered.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'invalid_api_key',
					message:
						'Invalid API key: StatProxies answered invalid_api_key. Check that the key is complete and not revoked or expired.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'insufficient_permissions',
					message:
						'This key lacks the "order" service (insufficient_permissions). Enable it for the key in the StatProxies dashboard.',
				},
			},
			// lodash's get, which n8n uses here, reads a value's constructor: any other `error`
			// (api_key_expired, rate_limited, a gateway's error object) refuses the test.
			...['String', 'Object'].map((type) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'error.constructor.name',
					value: type,
					message:
						'StatProxies answered with an error, so the key could not be confirmed. Check the key and the Base URL, then test again.',
				},
			})),
			{
				// StatProxies answers JSON. A body that is not JSON (an HTML error page, a gateway's
				// answer, the empty body of a redirect) stays a string.
				type: 'responseSuccessBody',
				properties: {
					key: 'constructor.name',
					value: 'String',
					message:
						'The Base URL did not answer like the StatProxies API (no JSON came back, or a redirect). Check the Base URL.',
				},
			},
		],
	};
}
