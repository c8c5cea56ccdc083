import { Workflow, type IHttpRequestOptions, type INodeTypes } from 'n8n-workflow';

import { HostCredentialsHelper } from './harness/host';
import { sandboxCredential } from './harness/helpers';
import { useRawServer } from './harness/raw';
import { credentialType, orderNode, testCredential } from './harness/n8n';
import { nodeTypes } from './harness/nodeTypes';
import { useSandbox } from './harness/sandbox';

const sandbox = useSandbox();
const raw = useRawServer();

const node = orderNode({});
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: nodeTypes as INodeTypes,
});

/** The headers n8n adds to a request made with this credential (its `authenticate` block). */
async function authenticatedHeaders(apiKey: string, baseUrl: string) {
	const helper = new HostCredentialsHelper(new Map(), credentialType);
	const request: IHttpRequestOptions = { url: '/api/v2/order/newscale', headers: {} };
	const signed = await helper.authenticate(
		{ apiKey, baseUrl },
		credentialType.name,
		request,
		workflow,
		node,
	);
	return signed.headers ?? {};
}

/** Where the credential test sends its request, as n8n evaluates it. */
function testRequestBase(baseUrl: string): unknown {
	return workflow.expression.getSimpleParameterValue(
		node,
		credentialType.test.request.baseURL as string,
		'internal',
		{ $credentials: { apiKey: 'sk_live_whatever', baseUrl } },
		undefined,
		'',
	);
}

describe('The credential test checks the key with a read-only request, never buying', () => {
	test('a good key: OK, after one GET /api/v2/order/list with Authorization: Bearer <key>', async () => {
		const result = await testCredential(sandboxCredential(sandbox));

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: '/api/v2/order/list' });
		expect(sandbox.requests[0].headers.authorization).toBe(`Bearer ${sandbox.keys.full}`);
		expect(sandbox.orderRequests).toEqual([]);
		expect(sandbox.orders).toEqual([]);
	});

	test('a wrong key: an error that says the API key is invalid', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			apiKey: 'sk_live_revoked_key',
		});

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/invalid API key/i);
		expect(result.message).toContain('invalid_api_key');
		// n8n 1.x re-sent the GET after a 401 while the test relied on the status.
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.orderRequests).toEqual([]);
	});

	test('a key without the order service: an error that names insufficient_permissions', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			apiKey: sandbox.keys.noOrder,
		});

		expect(result.status).toBe('Error');
		expect(result.message).toContain('insufficient_permissions');
		expect(result.message).toContain('"order" service');
		expect(sandbox.orderRequests).toEqual([]);
	});

	test('http://example.com: an error, and the test request goes to a name that cannot resolve, not to example.com', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			baseUrl: 'http://example.com',
		});

		expect(result).toEqual({ status: 'Error', message: 'ENOTFOUND' });
		expect(testRequestBase('http://example.com')).toBe('https://base-url-must-use-https.invalid');
		expect(sandbox.requests).toEqual([]);
	});

	test('http://0.0.0.0:<sandbox port> would reach the sandbox, but is not allowed: an error, and the sandbox receives nothing', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			baseUrl: `http://0.0.0.0:${sandbox.port}`,
		});

		expect(result.status).toBe('Error');
		expect(sandbox.requests).toEqual([]);
	});

	test.each([
		['an HTML error page (502)', 502, { 'content-type': 'text/html' }, '<html>Bad gateway</html>'],
		[
			'a page that is not the API (200, HTML)',
			200,
			{ 'content-type': 'text/html' },
			'<html></html>',
		],
		['an empty 404', 404, {}, ''],
	])('%s: an error that asks to check the Base URL', async (_, status, headers, body) => {
		raw.answer({ status, headers, body });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/Check the Base URL/),
		});
		expect(raw.requests).toHaveLength(1);
	});

	test.each(['404', '429', '500', '503'])(
		'StatProxies answers %s with its JSON error: an error, not "Connection successful"',
		async (fault) => {
			sandbox.setListFault(fault);
			const result = await testCredential(sandboxCredential(sandbox));

			expect(result).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^StatProxies answered with an error/),
			});
		},
	);

	test.each([
		['an unlisted key error (401)', 401, { error: 'api_key_expired' }],
		['an error object (403)', 403, { error: { code: 1020, message: 'Access denied' } }],
	])('%s: an error, not "Connection successful"', async (_, status, body) => {
		raw.answer({
			status,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^StatProxies answered with an error/),
		});
	});

	test('a redirect is not followed: the key never reaches the address it points to', async () => {
		raw.answer({
			status: 302,
			headers: { location: `${sandbox.url}/api/v2/order/list` },
			body: '',
		});
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/Check the Base URL/),
		});
		expect(raw.requests).toHaveLength(1);
		expect(sandbox.requests).toEqual([]);
	});

	// The limit of judging by the body: the status of a JSON answer is not read.
	test('a JSON answer without an `error` passes, whatever its status (the limit the README states)', async () => {
		raw.answer({
			status: 500,
			headers: { 'content-type': 'application/json' },
			body: '{"message":"Internal Server Error"}',
		});
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('the test request goes to the base URL itself when it is allowed (trailing slash dropped)', () => {
		expect(testRequestBase('https://dashboard.statproxies.com/')).toBe(
			'https://dashboard.statproxies.com',
		);
		expect(testRequestBase(` ${sandbox.url} `)).toBe(sandbox.url);
	});
});

describe('The credential attaches the key only where it may travel: https, or http to loopback', () => {
	test.each([
		'https://dashboard.statproxies.com',
		'https://gateway.example.org:8443/statproxies',
		'http://127.0.0.1:5678',
		'http://localhost',
		'http://[::1]:8080',
	])('%s: Authorization: Bearer <key>', async (baseUrl) => {
		const headers = await authenticatedHeaders('sk_live_attached', baseUrl);
		expect(headers.Authorization).toBe('Bearer sk_live_attached');
	});

	test.each([
		'http://example.com',
		'http://dashboard.statproxies.com',
		'http://localhost.evil.com',
		'http://127.0.0.1@evil.com',
		'http://0.0.0.0:5678',
		'https://user:pw@dashboard.statproxies.com',
		'ftp://dashboard.statproxies.com',
		'',
	])('%j: no key in the Authorization header', async (baseUrl) => {
		const headers = await authenticatedHeaders('sk_live_withheld', baseUrl);
		expect(JSON.stringify(headers)).not.toContain('sk_live_withheld');
		expect(headers.Authorization).toBe('');
	});
});
